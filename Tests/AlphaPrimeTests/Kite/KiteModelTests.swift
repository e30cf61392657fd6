import AlphaPrimeDomain
@testable import AlphaPrimeKite
import Foundation
import Testing

/// Every Kite Connect mock decodes into its typed value, with a few real values checked.
@Suite struct KiteModelTests {
    typealias Check = @Sendable () throws -> Void

    static let checks: [String: Check] = {
        var c: [String: Check] = [:]
        c["orders.json"] = { () throws in
            let orders = try KiteMocks.decode("orders.json", as: [KiteOrder].self)
            #expect(orders.count == 10)
            #expect(orders[0].orderID == "100000000000000" && orders[0].status == "CANCELLED")
            #expect(orders[0].price.paise == Paise(7_200))
            #expect(orders[0].parentOrderID == nil && orders[0].statusMessage == nil)
            #expect(orders[0].orderTimestamp?.utc.description == "2021-05-31T03:48:57.000000Z")
            #expect(orders[1].averagePrice.paise == Paise(10_940))
        }
        c["order_info.json"] = { () throws in
            let history = try KiteMocks.decode("order_info.json", as: [KiteOrder].self)
            #expect(history[0].status == "PUT ORDER REQ RECEIVED" && history[0].exchangeOrderID == nil)
            #expect(history[0].price.paise == Paise(30_000))
            #expect(history.last?.orderID == "171229000724687")
        }
        for name in ["order_response.json", "order_modify.json", "order_cancel.json"] {
            c[name] = { () throws in #expect(try KiteMocks.decode(name, as: KiteOrderReference.self).orderID == "151220000000000") }
        }
        c["trades.json"] = { () throws in
            let trades = try KiteMocks.decode("trades.json", as: [KiteTrade].self)
            #expect(trades[0].tradeID == "10000000" && trades[0].averagePrice.paise == Paise(42_065))
            #expect(trades[0].fillTimestamp?.utc == KiteMocks.ist("2021-05-31 09:16:39"))
            #expect(trades[0].orderTimestamp == "09:16:39")
        }
        c["order_trades.json"] = { () throws in
            let trades = try KiteMocks.decode("order_trades.json", as: [KiteTrade].self)
            #expect(trades.count == 1 && trades[0].averagePrice.paise == Paise(485_200))
            #expect(trades[0].exchangeTimestamp?.utc.description == "2021-05-31T10:30:36.000000Z")
        }
        c["autoslice_response.json"] = { () throws in
            let r = try KiteMocks.decode("autoslice_response.json", as: KiteAutosliceResponse.self)
            #expect(r.orderID == "1914227164488687616" && r.children.count == 4)
            #expect(r.children[2].orderID == nil && r.children[2].error?.kiteError.kind == .margin)
            #expect(r.children[2].error?.kiteError.exitStatus == .refused)
        }
        c["postback.json"] = { () throws in
            let p = try KiteMocks.decodeBare("postback.json", as: KitePostback.self)
            #expect(p.order.orderID == "220303000308932" && p.order.status == "COMPLETE")
            #expect(p.order.averagePrice.paise == Paise(47_000) && p.unfilledQuantity == 0)
            #expect(p.checksum == "2011845d9348bd6795151bf4258102a03431e3bb12a79c0df73fcb4b7fde4b5d")
        }
        c["positions.json"] = { () throws in
            let p = try KiteMocks.decode("positions.json", as: KitePositions.self)
            #expect(p.net.count == 3 && p.day.count == 3)
            #expect(p.net[0].tradingsymbol == "LEADMINI17DECFUT" && p.net[0].averagePrice.paise == Paise(16_105))
            #expect(p.net[0].buyValue.paise == Paise(16_105_000))
        }
        c["convert_position.json"] = { () throws in #expect(try KiteMocks.decode("convert_position.json", as: Bool.self)) }
        c["holdings.json"] = { () throws in
            let h = try KiteMocks.decode("holdings.json", as: [KiteHolding].self)
            #expect(h[0].tradingsymbol == "AARON" && h[0].mtf?.quantity == 1_000)
            #expect(h[0].lastPrice.paise == Paise(35_295))
            // 801.78125 is a computed average: rounded half away from zero to the paisa.
            #expect(h[1].averagePrice.paise == Paise(80_178))
            #expect(h[0].authorisedDate?.utc == KiteMocks.ist("2025-01-17 00:00:00"))
        }
        c["auctions_list.json"] = { () throws in
            let a = try KiteMocks.decode("auctions_list.json", as: [KiteHolding].self)
            #expect(a.count == 3 && a[2].auctionNumber == "7529" && a[2].averagePrice.paise == Paise(57_340))
        }
        c["holdings_auth.json"] = { () throws in
            #expect(try KiteMocks.decode("holdings_auth.json", as: KiteHoldingsAuthorisation.self).requestID == "na8QgCeQm05UHG6NL9sAGRzdfSF64UdB")
        }
        c["holdings_compact.json"] = { () throws in
            let h = try KiteMocks.decode("holdings_compact.json", as: [KiteCompactHolding].self)
            #expect(h.count == 21 && h[0].tradingsymbol == "63MOONS" && h[0].instrumentToken == 3_038_209)
        }
        c["holdings_summary.json"] = { () throws in
            let s = try KiteMocks.decode("holdings_summary.json", as: KiteHoldingsSummary.self)
            #expect(s.totalPnL.paise == Paise(679_824) && s.todayPnL.paise == Paise(-7_680))
        }
        c["margins.json"] = { () throws in
            let m = try KiteMocks.decode("margins.json", as: KiteMargins.self)
            #expect(m.equity?.net.paise == Paise(9_972_505) && m.commodity?.net.paise == Paise(10_066_170))
        }
        c["margins_equity.json"] = { () throws in
            #expect(try KiteMocks.decode("margins_equity.json", as: KiteSegmentMargins.self).net.paise == Paise(9_972_505))
        }
        c["margin_commodity.json"] = { () throws in
            #expect(try KiteMocks.decode("margin_commodity.json", as: KiteSegmentMargins.self).net.paise == Paise(9_642_633))
        }
        c["order_margins.json"] = { () throws in
            let m = try KiteMocks.decode("order_margins.json", as: [KiteOrderMargin].self)
            #expect(m[0].tradingsymbol == "INFY" && m[0].var.paise == Paise(149_800) && m[0].total.paise == Paise(149_800))
            #expect(abs(m[0].charges.componentRupees.reduce(0, +) - m[0].charges.total.rupees) < 1e-9)
            #expect(m[0].charges.total.paise == Paise(179) && m[0].charges.transactionTaxType == "stt")
        }
        c["basket_margins.json"] = { () throws in
            let b = try KiteMocks.decode("basket_margins.json", as: KiteBasketMargins.self)
            #expect(b.initial.total.paise == Paise(9_650_498) && b.final.total.paise == Paise(3_478_673))
            #expect(b.orders.count == 2 && b.orders[0].tradingsymbol == "NIFTY23JUL20600CE")
        }
        c["virtual_contract_note.json"] = { () throws in
            let note = try KiteMocks.decode("virtual_contract_note.json", as: [KiteContractNoteEntry].self)
            #expect(note.count == 3 && note[0].price.paise == Paise(56_000))
            for entry in note {
                // The file's total is the sum of its unrounded components.
                #expect(abs(entry.charges.componentRupees.reduce(0, +) - entry.charges.total.rupees) < 1e-9)
            }
            #expect(note[0].charges.total.paise == Paise(58))
            #expect(note[1].charges.transactionTaxType == "ctt" && note[1].charges.brokerage.paise == Paise(176))
            #expect(note[2].charges.brokerage.paise == Paise(2_000) && note[2].charges.total.paise == Paise(2_369))
        }
        c["ltp.json"] = { () throws in
            let q = try KiteMocks.decode("ltp.json", as: [String: KiteLTPQuote].self)
            #expect(q["NSE:INFY"]?.lastPrice.paise == Paise(107_435))
        }
        c["ohlc.json"] = { () throws in
            let q = try KiteMocks.decode("ohlc.json", as: [String: KiteOHLCQuote].self)
            #expect(q["NSE:INFY"]?.ohlc.open.paise == Paise(108_580) && q["NSE:INFY"]?.lastPrice.paise == Paise(107_500))
        }
        c["quote.json"] = { () throws in
            let q = try #require(try KiteMocks.decode("quote.json", as: [String: KiteQuote].self)["NSE:INFY"])
            #expect(q.lastPrice.paise == Paise(141_295) && q.volume == 7_360_198)
            #expect(q.timestamp?.utc.description == "2021-06-08T10:15:56.000000Z")
            #expect(q.depth.sell[0].quantity == 5_191 && q.depth.buy.count == 5)
        }
        c["trigger_range.json"] = { () throws in
            let r = try KiteMocks.decode("trigger_range.json", as: [String: KiteTriggerRange].self)
            #expect(r["NSE:INFY"]?.upper.paise == Paise(113_820) && r["NSE:RELIANCE"]?.lower.paise == Paise(87_057))
        }
        c["historical_minute.json"] = { () throws in
            let candles = try KiteMocks.decode("historical_minute.json", as: KiteCandles.self).candles
            #expect(candles.count == 6 && candles[0].open.paise == Paise(170_450) && candles[0].volume == 2_499)
            #expect(candles[0].timestamp.utc.description == "2017-12-15T03:45:00.000000Z" && candles[0].openInterest == nil)
        }
        c["historical_oi.json"] = { () throws in
            let candles = try KiteMocks.decode("historical_oi.json", as: KiteCandles.self).candles
            #expect(candles[0].openInterest == 13_667_775 && candles[0].close.paise == Paise(1_200_150))
            #expect(candles[0].timestamp.utc == KiteMocks.ist("2019-12-04 09:15:00"))
        }
        c["profile.json"] = { () throws in
            let p = try KiteMocks.decode("profile.json", as: KiteProfile.self)
            #expect(p.userID == "AB1234" && p.exchanges.count == 8 && p.avatarURL == nil)
        }
        c["full_profile.json"] = { () throws in
            let p = try KiteMocks.decode("full_profile.json", as: KiteFullProfile.self)
            #expect(p.twofaType == "totp" && p.bankAccounts.count == 2 && p.dpIDs == ["0xx0xxx0xxxx0xx0"])
        }
        c["generate_session.json"] = { () throws in
            let s = try KiteMocks.decode("generate_session.json", as: KiteSession.self)
            #expect(s.userID == "XX0000" && s.loginTime.utc.description == "2021-01-01T10:45:14.000000Z")
            #expect(!s.description.contains(s.accessToken))
        }
        c["session_logout.json"] = { () throws in #expect(try KiteMocks.decode("session_logout.json", as: Bool.self)) }
        for name in ["gtt_place_order.json", "gtt_modify_order.json", "gtt_delete_order.json"] {
            c[name] = { () throws in #expect(try KiteMocks.decode(name, as: KiteGTTReference.self).triggerID == 123) }
        }
        c["gtt_get_orders.json"] = { () throws in
            let g = try KiteMocks.decode("gtt_get_orders.json", as: [KiteGTT].self)
            #expect(g.count == 2 && g[0].id == 112_127 && g[0].condition.triggerValues.map(\.paise) == [Paise(70_200)])
            #expect(g[0].orders[0].price.paise == Paise(70_250))
        }
        c["gtt_get_order.json"] = { () throws in
            let g = try KiteMocks.decode("gtt_get_order.json", as: KiteGTT.self)
            #expect(g.type == "two-leg" && g.status == "triggered" && g.orders[0].result == nil)
            let result = try #require(g.orders[1].result)
            #expect(result.orderResult.status == "failed" && result.triggeredAt.paise == Paise(10_370))
            #expect(g.createdAt.utc == KiteMocks.ist("2019-09-09 15:13:22"))
        }
        for name in ["alerts_create.json", "alerts_create_ato.json", "alerts_get_one.json", "alerts_modify.json"] {
            c[name] = { () throws in
                let a = try KiteMocks.decode(name, as: KiteAlert.self)
                #expect(a.lhsTradingsymbol == "NIFTY 50" && a.operator == ">=")
                #expect(a.rhsConstant?.paise == Paise(name == "alerts_modify.json" ? 2_750_000 : 2_700_000))
            }
        }
        c["alerts_get.json"] = { () throws in
            let a = try KiteMocks.decode("alerts_get.json", as: [KiteAlert].self)
            #expect(a[0].basket == nil && a[1].basket?.items[0].params.price.paise == Paise(7_222))
            #expect(a[1].rhsConstant?.paise == Paise(7_180))
        }
        c["alerts_delete.json"] = { () throws in #expect(try KiteMocks.decode("alerts_delete.json", as: KiteNothing?.self) == nil) }
        c["alerts_history.json"] = { () throws in
            let h = try KiteMocks.decode("alerts_history.json", as: [KiteAlertHistoryEntry].self)
            #expect(h[0].meta[0].lastPrice.paise == Paise(5_828_805) && h[0].meta[0].tradingsymbol == "NIFTY NEXT 50")
        }
        c["mf_holdings.json"] = { () throws in
            let h = try KiteMocks.decode("mf_holdings.json", as: [KiteMFHolding].self)
            #expect(h.count == 3 && h[0].folio == "3108290884" && h[0].averagePrice.paise == Paise(7_843))
        }
        for name in ["mf_order_response.json", "mf_order_cancel.json"] {
            c[name] = { () throws in #expect(try KiteMocks.decode(name, as: KiteOrderReference.self).orderID == "3bb085d1-5038-450e-a807-6543fef6c9ae") }
        }
        c["mf_orders.json"] = { () throws in
            let o = try KiteMocks.decode("mf_orders.json", as: [KiteMFOrder].self)
            #expect(o.count == 5 && o[0].status == "REJECTED" && o[0].amount.paise == Paise(100_000))
            #expect(o[0].orderTimestamp.utc == KiteMocks.ist("2021-06-30 08:33:07"))
        }
        c["mf_orders_info.json"] = { () throws in
            #expect(try KiteMocks.decode("mf_orders_info.json", as: KiteMFOrder.self).orderID == "2b6ad4b7-c84e-4c76-b459-f3a8994184f1")
        }
        for name in ["mf_sip_place.json", "mf_sip_modify.json", "mf_sip_cancel.json"] {
            c[name] = { () throws in #expect(try KiteMocks.decode(name, as: KiteSIPReference.self).sipID == "986124545877922") }
        }
        c["mf_sips.json"] = { () throws in
            let s = try KiteMocks.decode("mf_sips.json", as: [KiteMFSIP].self)
            #expect(s.count == 5 && s[0].instalmentAmount.paise == Paise(50_000) && s[0].stepUp == ["05-05": 10])
        }
        c["mf_sip_info.json"] = { () throws in
            let s = try KiteMocks.decode("mf_sip_info.json", as: KiteMFSIP.self)
            #expect(s.sipID == "181635213661372" && s.fundSource == "pool" && s.instalments == -1)
        }
        c["ticker_ltp.json"] = { () throws in
            let t = try KiteMocks.decodeBare("ticker_ltp.json", as: KiteTickRendering.self)
            #expect(t.mode == "ltp" && t.lastPrice.paise == Paise(157_315) && t.ohlc == nil)
        }
        c["ticker_quote.json"] = { () throws in
            let t = try KiteMocks.decodeBare("ticker_quote.json", as: KiteTickRendering.self)
            #expect(t.mode == "quote" && t.volume == 1_175_986 && t.ohlc?.high.paise == Paise(157_500) && t.depth == nil)
        }
        c["ticker_full.json"] = { () throws in
            let t = try KiteMocks.decodeBare("ticker_full.json", as: KiteTickRendering.self)
            #expect(t.depth?.buy[0].price.paise == Paise(157_340) && t.depth?.sell.count == 5)
            #expect(t.timestamp?.utc.description == "2021-07-05T05:11:27.000000Z")
        }
        // The two packets are bare (no count or length field), base64: the same INFY ticks as the
        // quote and full renderings above, in integers.
        c["ticker_quote.packet"] = { () throws in
            let bytes = try #require(Data(base64Encoded: KiteMocks.text("ticker_quote.packet").trimmingCharacters(in: .whitespacesAndNewlines)))
            let t = try KiteTickerCodec.decode(packet: [UInt8](bytes))
            let json = try KiteMocks.decodeBare("ticker_quote.json", as: KiteTickRendering.self)
            #expect(t.instrumentToken == 408_065 && t.mode == .quote && t.isTradable && !t.isIndex)
            #expect(t.lastPrice == json.lastPrice.paise.value && t.lastPrice == 157_315)
            #expect(t.lastTradedQuantity == json.lastQuantity && t.averageTradedPrice == json.averagePrice?.paise.value)
            #expect(t.volumeTraded == json.volume && t.totalBuyQuantity == json.buyQuantity && t.totalSellQuantity == json.sellQuantity)
            #expect(t.open == json.ohlc?.open.paise.value && t.high == json.ohlc?.high.paise.value)
            #expect(t.low == json.ohlc?.low.paise.value && t.close == json.ohlc?.close.paise.value)
            #expect(t.buyDepth.isEmpty && t.exchangeTimestamp == nil)
        }
        c["ticker_full.packet"] = { () throws in
            let bytes = try #require(Data(base64Encoded: KiteMocks.text("ticker_full.packet").trimmingCharacters(in: .whitespacesAndNewlines)))
            let t = try KiteTickerCodec.decode(packet: [UInt8](bytes))
            let json = try KiteMocks.decodeBare("ticker_full.json", as: KiteTickRendering.self)
            #expect(t.mode == .full && t.lastPrice == json.lastPrice.paise.value && t.volumeTraded == json.volume)
            #expect(t.lastTradeTime == json.lastTradeTime.map { $0.utc.microseconds / 1_000_000 })
            #expect(t.exchangeTimestamp == json.timestamp.map { $0.utc.microseconds / 1_000_000 })
            #expect(t.openInterest == 0 && t.openInterestDayHigh == 0 && t.openInterestDayLow == 0)
            let depth = try #require(json.depth)
            #expect(t.buyDepth.map(\.price) == depth.buy.map(\.price.paise.value))
            #expect(t.buyDepth.map(\.quantity) == depth.buy.map(\.quantity))
            #expect(t.buyDepth.map(\.orders) == depth.buy.map(\.orders))
            #expect(t.sellDepth.map(\.price) == depth.sell.map(\.price.paise.value))
            #expect(t.sellDepth.map(\.quantity) == depth.sell.map(\.quantity))
            #expect(t.sellDepth.map(\.orders) == depth.sell.map(\.orders))
        }
        c["instruments_all.csv"] = { () throws in
            let list = try KiteInstrument.parseCSV(KiteMocks.text("instruments_all.csv"), file: "instruments_all.csv")
            #expect(list.count == 99 && list[0].tradingsymbol == "CENTRALBK-BE" && list[0].tickSize.paise == Paise(5))
            let option = try #require(list.first { $0.tradingsymbol == "BANKNIFTY18JAN23500CE" })
            #expect(option.expiry == LocalDate("2018-01-25") && option.strike.paise == Paise(2_350_000))
            #expect(option.lastPrice.paise == Paise(252_840) && option.lotSize == 40 && option.segment == "NFO-OPT")
        }
        c["instruments_nse.csv"] = { () throws in
            let list = try KiteInstrument.parseCSV(KiteMocks.text("instruments_nse.csv"), file: "instruments_nse.csv")
            #expect(list.count == 99 && list[0].instrumentToken == 3_813_889 && list[0].expiry == nil)
        }
        c["mf_instruments.csv"] = { () throws in
            let list = try KiteMFInstrument.parseCSV(KiteMocks.text("mf_instruments.csv"), file: "mf_instruments.csv")
            #expect(list.count == 99 && list[0].tradingsymbol == "INF209K01157" && list[0].purchaseAllowed)
            #expect(list[0].lastPrice.paise == Paise(10_680) && list[0].minimumPurchaseAmount.paise == Paise(100_000))
            #expect(list[0].lastPriceDate == LocalDate("2017-11-23"))
        }
        return c
    }()

    static var modelled: [String] { checks.keys.sorted() }

    @Test(arguments: modelled)
    func decodes(_ name: String) throws {
        try Self.checks[name]!()
    }

    /// A new mock file fails here until it is modelled (a check above) or skipped with a reason.
    @Test func everyMockIsCoveredOrSkipped() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: KiteMocks.folder.path).filter { !$0.hasPrefix(".") }
        let uncovered = Set(files).subtracting(Self.checks.keys).subtracting(KiteMocks.skipped.keys)
        #expect(uncovered.isEmpty, "mock files neither modelled nor skipped: \(uncovered.sorted())")
        #expect(Set(Self.checks.keys).isDisjoint(with: KiteMocks.skipped.keys))
        #expect(Set(Self.checks.keys).union(KiteMocks.skipped.keys) == Set(files))
        #expect(files.count == 62)
    }

    @Test func pricesAndTimestamps() {
        #expect(KitePrice(rupees: 1434.5).paise == Paise(143_450))
        #expect(KitePrice(rupees: -0.05).paise == Paise(-5))
        #expect(KitePrice(decimalText: "0.0025")?.paise == Paise(0))
        #expect(KitePrice(decimalText: "2528.4")?.paise == Paise(252_840))
        #expect(KitePrice(decimalText: "1e3") == nil)
        #expect(KiteTimestamp("2021-05-31 09:18:57")?.utc.description == "2021-05-31T03:48:57.000000Z")
        #expect(KiteTimestamp("2017-12-15T09:15:00+0530")?.utc == KiteTimestamp("2017-12-15 09:15:00")?.utc)
        #expect(KiteTimestamp("2021-02-30 09:15:00") == nil)
        #expect(KiteTimestamp("09:16:39") == nil)
    }
}
