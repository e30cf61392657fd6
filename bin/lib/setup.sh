# shellcheck shell=bash
# Shared by bin/test and bin/paper-day: install the system packages ALPHA-PRIME needs.
# Sourced, not executed.

ALPHA_PRIME_APT_PACKAGES=(libsqlite3-dev libpq-dev libcurl4-openssl-dev libssl-dev libzstd-dev libhiredis-dev pkg-config sqlite3 zstd python3)

# Installs missing Debian packages when running as root; otherwise says what is missing.
alpha_prime_install_packages() {
    local extra=("$@") missing=() pkg
    for pkg in "${ALPHA_PRIME_APT_PACKAGES[@]}" "${extra[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -eq 0 ]; then
        echo "setup: installing ${missing[*]}" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2 || { echo "setup: apt-get update failed" >&2; return 1; }
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 || {
            echo "setup: apt-get install ${missing[*]} failed" >&2; return 1; }
    else
        echo "setup: missing packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
        return 1
    fi
}
