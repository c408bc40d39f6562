// Package enforcement models a Chinese court's enforcement case (执行案件):
// its parties, procedural nodes (流程节点), enforcement measures (执行措施),
// the time limits (期限) they start, closure (结案) and the chief's
// supervision, with the money computations that go with them (fees,
// doubled delay interest).
//
// The package is pure: it does no I/O and reads no clock. Time comes in as
// a parameter; dates are [deadline.Date] values computed on a
// [deadline.Calendar]. State changes are methods of [Case] that check the
// rules, leave the case unchanged on error, and return [Event] values for
// the caller to store and pass on.
//
// # Walkthrough
//
// A case is filed with [File]: it records the application (收到执行申请) and
// filing (立案) nodes, and the rule set turns each into due items. Each
// later node ([Case.RecordNode]) or measure ([Case.RecordMeasure]) is a
// [Trigger]; the rule set ([Scheduler]) returns the items it opens and the
// open items it completes:
//
//	env := enforcement.Env{Calendar: deadline.Official(), Rules: enforcement.DefaultRules()}
//	events, err := enforcement.File(c, env, now, "clerk")
//	// c.DueItems now holds e.g. notice.enforcement_legal@application (10 days,
//	// Interp 2022 art. 480) and case.limit@filing (6 months net of deductions).
//
// A freeze of a bank deposit opens seizure.deposit_expiry (1 year), with
// reminders 30 and 7 days before it, and seizure.renew_by 7 full days before
// it; recording the renewal (Measure.RenewalOf) completes both and opens a
// new term. When a suspension ends, or a node date is corrected, or a new
// holiday schedule is loaded, [Recalculate] recomputes the open items
// ([Recomputer]) and lists the moves; a judge's override ([Case.OverrideDue])
// is kept beside the computed date and never moved. An override must lie
// within the court's bounds ([OverridePolicy]: not before the trigger, at
// most a year after the computed date, with a reason of real length) and is
// pending until the chief approves it ([Case.ApproveOverride],
// [Case.RejectOverride]); until then the computed date is in force
// ([DueItem.Due]), so an override cannot hide overdue work from supervision.
//
// # Audit log
//
// [AuditLog] is the append-only record (操作日志) of every change and
// sign-in: who, when, from which address, the action, the case and the
// values before and after ([AuditEntry]). It has no update or delete path;
// adapters/sqlstore refuses them in the database too.
//
// # Rule sets
//
// A [RuleSet] is data: rules/default.json is embedded and loaded through
// [LoadRules], the same validator a court uses for its own file
// (examples/rulecheck checks one from the command line). Each [Rule] says
// "within Period after Trigger, Owner must do Title", with its legal basis
// (instrument and article), source level, verification status, severity,
// counting mode, deductions and reminders. A trigger is a node kind, a
// measure (kind and property kind), or another rule's due date (a derived
// rule, scheduled with its parent). Rules are effective-dated: several
// versions of one key have disjoint [From, Until) windows, the version in
// force on the trigger date applies, and the item records it in
// DueItem.RuleVersion. Due item IDs are deterministic: rule key, "@", and
// the trigger's node or measure ID. [RuleSet.Validate] reports every
// problem at once in a [RuleSetError]. [RuleOptions] carry a court's
// choices where courts differ.
//
// # Decisions
//
// The legal reference leaves questions open (its §14, A1–A18). The rule set
// decides them as follows; where courts differ the choice is rule data or a
// [RuleOptions] field.
//
//   - A1, the unit of "N日": calendar days unless the text says 工作日 (CPL
//     art. 85 counts calendar days; the SPC writes 工作日 when it means it,
//     as in shixin.delete). A court that counts a rule in working days lists
//     its key in RuleOptions.Workdays.
//   - A2, rest-day shift for court-internal limits: shifted, as the SPC's
//     2014 document does for 审限; RuleOptions.NoInternalExtension turns it
//     off for Internal rules.
//   - A3, rest days: the official calendar of package deadline. A date
//     beyond its coverage never fails filing or the recording of a node: the
//     item is kept awaiting the calendar (DueItem.AwaitingCalendar, 待日历公布)
//     with a weekend-only estimate that orders it and is marked Provisional.
//     The estimate is shown as a date (marked 暂定) only where the court
//     allows provisional dates (Settings.AllowProvisional, DueItem.Shown),
//     because a guess must never pass for a legal date. Everything derived
//     from a provisional date is provisional too. Loading the year's State
//     Council notice (deadline.Calendar.WithSchedule) and running Recalculate
//     lists every awaiting item with its definite date (Move.Definite).
//   - A4, backward notice periods ("届满七日前", counting "before"): the
//     anchor day and the act's day are both excluded, so N full days lie
//     between them, and no rest-day shift applies: the safe reading, which
//     never makes an act late that another reading would allow.
//   - A5, deductions: the case limit deducts the union of Limits2000 art. 9
//     and ExecInterp2008 art. 13 (public notice, appraisal, jurisdiction,
//     suspension, deferral, settlement, coordination, auction and sale);
//     both texts are verified, while the 2006 list (E18) is not. The CPL
//     237 clock deducts the art. 13 list only. Overlapping periods count
//     once, day for day. A running period is not counted until it ends,
//     when the resumption recalculates the items; the raw intervals stay on
//     the case (Case.Deductions). A court narrows the list with
//     RuleOptions.Deduct.
//   - A6, extension request "届满前5日内": at least 5 full days before the
//     limit (A4), with a reminder 4 days before that, i.e. 10 days before
//     the limit.
//   - A7, which 6 months: both clocks are tracked. case.limit runs from
//     filing (Limits2000 art. 5; Limits2006 art. 1), net of deductions;
//     case.superior_application runs from receipt of the application and
//     is met only after more than 6 months ("超过", Civil Code art. 1259).
//   - A8, conflicting limits: the stricter limit warns and the judicial
//     interpretation sets the legal status. The 3-day internal notice
//     (Limits2006 art. 4) is an Internal, info item beside the 10-day legal
//     one (Interp art. 480); the older 5-day clue check (Limits2006 art. 6)
//     is a reminder 2 days before the 7-day limit of PropInv art. 2.
//   - A9, month ends: Civil Code art. 202 for every month and year period,
//     seizure terms and 终本 checks included; the checks are anchored on
//     the 终本 ruling date (the closure date), then on each check recorded.
//   - A10, seizure terms: the term runs from the measure's legal effect
//     (Measure.Effective: service on the assisting unit). The end date the
//     bank or registry reported (Measure.ExpiresOn) is used when there is
//     one; otherwise the end is computed by the year rule and flagged (an
//     "expiry_estimated" step and "（推算）" in the title). A term end is
//     never moved over rest days; the reminders 30 and 7 days before it and
//     the renewal deadline 7 full days before it come early instead. A
//     renewal starts a new full term from its own effect and completes the
//     old term's items. The maximum terms changed on 2015-02-04 (2015
//     Interpretation) from 6 months / 1 year / 2 years to 1 / 2 / 3 years;
//     the older version (法释〔2004〕15号 art. 29, checked against several
//     published copies) is enabled for measures effective from 2005-01-01
//     to 2015-02-03, and a renewal under it runs at most half the original
//     term (Rule.RenewalPeriod). An end date reported after the measure is
//     recorded with Case.UpdateMeasure, which recomputes the expiry, the
//     renewal deadline and their reminders. Case.RecordDeduction records a
//     closed period of any deduction kind (公告, 评估、审计, 管辖争议,
//     请示、协调, 拍卖、变卖, and 中止, 暂缓, 和解 after the fact).
//   - A11, delay interest (implemented in interest.go): only days from
//     2014-08-01 (法释〔2014〕8号 art. 7) are charged at 1.75 per 10,000;
//     earlier delay is refused with a BeforeInterpretationError naming the
//     date, or left to the caller (2009 reply) with FromInForce. Gross
//     payments go through AllocatePayments first (Civil Code art. 561:
//     costs, ordinary interest, principal; art. 4: doubled interest last).
//     Days = payment
//     date − performance-expiry date (start day excluded, payment day
//     included), per unpaid tranche, exact decimals per tranche; the total
//     is rounded half up to the fen once, so splitting a debt does not
//     change the result.
//   - A12, fees: decided in fee.go; the value of a non-monetary case's fee
//     within 50–500 yuan is the court's input.
//   - A13, the 2-year period for applying (申请执行期间, CPL art. 250):
//     computed by ComputeApplicationPeriod and by File when the source
//     document gives its dates. It runs from the last day of the
//     performance period, else from the day the document took effect; for
//     instalments the version of art. 250(2) in force on the day the
//     application is received applies, as effective-dated data
//     (ApplicationPeriodVersions): from 2022-01-01 (2021 and 2023 texts)
//     one period from the last instalment's expiry, before that (2007–2017
//     texts) one period per instalment from its own last day. The legal
//     reference (§5 L2) reads the texts so; the current wording is verified
//     there, the older one from secondary copies. Interruptions the law
//     names (申请执行, 当事人一方提出履行要求, 同意履行义务, 执行和解:
//     Civil Code art. 195, ExecInterp2008 art. 20) restart it; an obstacle in
//     the last six months suspends it (Civil Code art. 194: it ends six
//     months after the obstacle ends; before 2017-10-01 the General
//     Principles art. 139 paused it); an agreement to perform after expiry
//     waives the lapse (Civil Code art. 192(2)). Decision: the period is
//     never a due item of the court and never a reason to refuse filing,
//     because its expiry is a defence the respondent must raise (Interp
//     2022 art. 481; the court may not apply limitation of its own motion,
//     Civil Code art. 193); but a judge who files an application that
//     appears late must see it, so File refuses until the judge's
//     acknowledgement is recorded (Case.LateAcknowledgedBy), and keeps the
//     computation on the case (Case.ApplicationPeriod) for the respondent's
//     objection. Omission duties (ExecInterp2008 art. 21: from the breach)
//     are not modelled: set EffectiveOn to the breach day.
//   - A14, unverified rules ship disabled: the 终本 database update and the transfer-assistance notice (Limits2006
//     art. 8); a court enables them with RuleOptions.Enable ("key" or
//     "key@version") once it has checked the text.
//   - A15, case numbers: parsed leniently and emitted canonically
//     (casenumber.go).
//   - A16, notification is not service: no rule starts from an SMS; periods
//     start from nodes and measures with their legal dates.
//   - A17, source level: every rule has Level (law, judicial
//     interpretation, SPC normative document, local) and Status (V, S, U);
//     Internal marks management targets, Severity how much a miss matters.
//   - A18, pooled field trips: scheduling logic in package planning, not a
//     rule.
//
// Other choices of the default rule set: completion by node completes the
// open items of the rule triggered on or before the node's date; a
// derived item follows its parent's date in force (a judge's extension of
// the case limit moves the extension-request item too); an hour period
// triggered by a date counts from 00:00 of that day, the earliest instant,
// so the reminder is never late; 终本's 3-month minimum and prior
// consultation are closure preconditions, not due items.
//
// # Coverage of the reference table
//
// Every row of the reference's node → deadline table (§13) is a rule of
// the default set, with the reference's verification status and a source
// level, except the rows listed at the end. The nodes that start the later
// rows, and the choices made for them:
//
//   - An auction or sale is a measure (MeasureAuction, MeasureSale at the
//     auction node), recorded when it is set and dated the day bidding or
//     the sale period starts; its result is recorded later. So
//     auction.bidding_min (24 hours) and sale.window (60 days) run from the
//     measure, and the property kind is on hand for rules that depend on it.
//   - A second failed online auction is recorded as second_auction_failed,
//     not auction_failed: it completes the re-auction item and opens
//     sale.announce (15 days), which sale_announcement completes; no third
//     auction is scheduled. The 15 and 60 days come from the SPC's 2017
//     notice, seen only in a secondary copy (S).
//   - Reference price: report_received (the inquiry or appraisal report
//     reaches the court) completes the platform's or appraiser's item and
//     opens refprice.send_report (3 days), which report_served_party
//     completes while opening the parties' 5-day objection window.
//   - Third parties: third_party_ruling (service of the ruling on a
//     third-party objection) opens the 15-day suit window (CPL 238) and the
//     15-day bar on disposal (Interp 463). The bar is opened whatever the
//     outcome, since after an upheld objection the asset may not be
//     disposed of either. The court records third_party_window_closed only
//     after an upheld objection when the applicant has not sued; it opens
//     the 7-day release (Interp 314).
//   - Distribution plans: distribution_plan, distribution_objection and
//     distribution_opposition are the days each notice reaches its
//     addressee; each opens a 15-day window (Interp 509–510). Parties'
//     windows (these, refprice.objection, third_party.suit) have no
//     completing node: they lapse.
//   - property_change opens the debtor's 10-day supplementary report (PropInv
//     art. 7); audit_reward_applied the court's 10-day decision (arts. 17,
//     21); objection_docketed completes objection.docket and opens the
//     3-day notice; auction_pause_ended opens the 5-day resumption (Auction
//     art. 28); transfer_needed opens the 5-day transfer notice (Limits2006
//     art. 8, unverified, so disabled).
//   - money.disburse deducts suspension and deferral periods, the approved
//     deferrals the case records; any other approved deferral is a judge's
//     override with its reason.
//
// Not in the default set: apply_limit.expiry (A13: computed by
// ComputeApplicationPeriod at filing, not a due item), interest.accrue (the
// calculator in interest.go), and zhongben.earliest and
// zhongben.consult_applicant (closure preconditions). The notices counted
// back from a planned auction (auction.notify_parties, 3 days before the
// announcement; auction.announce_movable and auction.announce_immovable, 15
// and 30 days before the auction starts; auction.reannounce_movable and
// auction.reannounce_immovable, 7 and 15 days before a re-auction) are in
// the default set and enabled, anchored on the auction measure's date.
//
// # Rights and tasks
//
// A due item is either something someone must do (a task: the judge's, the
// court's, a platform's, or a party's duty such as the supplementary
// property report) or a party's own right that opens or lapses on a date
// (Rule.Right, DueItem.Right): the respondent's 10-day jurisdiction
// objection, the parties' objection, reconsideration, suit and
// distribution windows close on their date (RightUntil, "…前可…"); the
// applicant's right to apply to the higher court opens once more than six
// months have passed (RightFrom, "…后可…"). A right is never a judge's
// overdue work: views for judges and chiefs leave rights out of their
// overdue and approaching counts (DueItem.IsRight), and DueItem.RightText
// renders it for a party, e.g. 申请执行人自2027年6月4日后可向上一级法院申请执行.
// Every text about a right takes its day and its 前/后 from
// DueItem.RightWhen: a right that opens "超过六个月" is usable from the day
// after the period's last day, so the text names that last day with 后
// (filed 3月3日: "9月3日后", usable from 9月4日); a window that closes names
// its last day with 前. A date that is not definite (DueItem.IsDefinite) is
// marked 暂定 wherever it is shown.
//
// # Warning levels
//
// LevelOf gives a due date's level on a day: overdue, due today,
// approaching from ApproachingFrom on (at most DefaultApproachingWorkdays
// working days left up to the due date, counted on the calendar), normal
// before. For a due date on a rest day the working days are counted from
// the last working day before it, so calendar feeds set their alarm with
// ApproachingFrom, not by counting back from the due date.
//
// # Glossary
//
//	执行案件      enforcement case                  立案          filing (docketing)
//	申请执行人    applicant                         被执行人      respondent (debtor)
//	承办人        handler (judge in charge)          执行通知书    enforcement notice
//	报告财产令    order to report property          财产线索      property clue
//	网络查控      network inquiry and control       查封          seal (immovables, movables)
//	扣押          detain (movables)                 冻结          freeze (deposits, rights)
//	扣划          deduct (transfer from an account) 续行          renewal of a seizure
//	参考价        reference price (询价, 评估)       拍卖 / 变卖   auction / sale
//	流拍          failed auction                    执行异议      objection to enforcement
//	复议          reconsideration                   案外人        third party
//	中止          suspension                        暂缓          deferral
//	执行和解      settlement                        终结本次执行程序 (终本) closure of this round
//	终结执行      termination                       执行完毕      fully performed
//	失信被执行人名单 list of dishonest debtors        限制消费      consumption restriction
//	办案期限      case-handling limit               期间          period
//	迟延履行期间的债务利息 doubled delay interest     执行申请费    enforcement application fee
//	委托执行      entrusted enforcement             执行款        execution money
//	申请执行期间  period for applying (2 years)     时效中断 / 中止 interruption / suspension
//	审计          audit                             悬赏公告      reward notice
//	下落不明      whereabouts unknown               妨碍执行      obstruction of enforcement
//	待日历公布    awaiting the calendar             暂定          provisional
//
// # Legal sources
//
// The legal basis of every time limit is data in rules/default.json. The
// instruments are the Civil Procedure Law (2023) and the SPC's 2022
// Interpretation of it, the 2008 Interpretation on enforcement procedure,
// the SPC's rules on case-handling limits (2000, 2006), on seizures (2004),
// property investigation (2017), reference prices (2018), online auctions
// (2016), objections (2015), entrusted enforcement (2011), preservation
// (2016), 终本 (2016), execution money (2017) and the dishonest-debtor list
// (2017); each rule names its article and its verification status.
package enforcement
