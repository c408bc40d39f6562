// Package deadline computes procedural periods (期间) on the official Chinese
// working-day calendar, with the legal basis and an explanation a judge can
// read.
//
// It has two parts: a [Calendar] that knows, for every day of the years it
// covers, whether the day is an ordinary workday, a weekend rest day, a
// statutory holiday (法定节假日, with its name such as 春节 or 国庆节) or a
// make-up workday (调休上班日, a weekend day worked in exchange for a
// holiday); and [Calendar.Compute], which counts a period on it the way the
// Civil Procedure Law and the Civil Code say.
//
// # The calendar
//
// [Official] returns the calendar built from the State Council schedules
// (国务院办公厅关于部分节假日安排的通知) embedded in data/ (see
// data/SOURCE.md: holiday-cn, MIT licence). It covers 2007-01-01 to
// 2026-12-31. A date not listed in a schedule follows the normal week; a
// listed day off is a holiday; a listed working day on a weekend is a make-up
// workday, and one on a weekday (2020-02-03) is an ordinary workday. The data
// is indexed by date, not by the year of the notice: the 2008 notice, for
// example, makes 2007-12-31 a holiday.
//
// Lookups use a dense index built once: one byte per day and a prefix sum of
// working days, so [Calendar.Kind], [Calendar.IsWorkday],
// [Calendar.AddWorkdays] and [Calendar.WorkdaysBetween] take a few
// nanoseconds, are O(1), never allocate for a covered date, and are safe for
// concurrent use. A Calendar never changes: [Load], [Calendar.WithSchedule]
// and [Calendar.WithClosures] return new calendars.
//
// # Coverage, and why an error rather than a guess
//
// Coverage is the contiguous range of whole years whose notice lists at
// least one day of that year. A year listed without entries (2027 in the
// shipped data, whose notice was not yet published) is unknown, not a year
// without holidays. Any question about an uncovered date returns an error
// wrapping [ErrNotCovered], a [*NotCoveredError] naming the date and the
// coverage. The calendar does not fall back to "weekends only", because the
// answer would be wrong by up to a week around every holiday (the 2027 Labour
// Day block, say) and a missed deadline cannot be undone; a court learns of
// the gap at once instead of from an appeal.
//
// A caller may opt in to a weekend-only answer with [Spec.AllowProvisional]:
// the result is then marked Provisional and its ProvisionalReason says in
// Chinese which year was missing. Recompute it once the year is loaded.
//
// Coverage ends on December 31 of the last covered year, but the next year's
// notice can still change the last days of December (it did for 2007, 2011,
// 2018 and 2022); load it as soon as it is published.
//
// # Loading data
//
// [Calendar.WithSchedule] reads a newer schedule in the same JSON format as
// the embedded data; each year it lists with entries replaces that year, and a
// year listed empty changes nothing. The result must still cover a
// contiguous range: a 2029 schedule on a calendar ending in 2026 is rejected
// rather than leaving 2027 and 2028 as holes. [Calendar.WithClosures] adds a
// court's own closure days (a typhoon, say), which count as holidays. Both
// validate everything first: malformed JSON, impossible dates, a day listed
// both off and worked, conflicting names for one date, a date outside the
// notice's year or the end of the one before, missing fields. The error is a
// [*LoadError] listing every problem, and the calendar in use is unchanged.
// Holiday names are normalised (“十一” → 国庆节, “五一”国际劳动节 → 劳动节,
// 国庆节、中秋节 → 中秋节、国庆节).
//
// # Loading a year from its notice
//
// The State Council publishes next year's notice in November or December;
// a court cut off from the internet cannot wait for a package update. A
// clerk pastes the notice's text and [Calendar.WithNotice] loads that year:
//
//	next, err := cal.WithNotice(2027, text) // the whole notice, as published
//
// [ParseNotice] reads the text as published: the whole notice, several
// notices one after the other (the 2020 notice and its extension), or any
// part down to one item with or without its heading. It reads every wording
// used since 2007 (至 and dash ranges, 10月1日至7日, 放假1天, 与周末连休, 补休,
// either kind of bracket, the 2007–2009 将…公休日调至… and 照常公休, and
// amendments such as 延长2020年春节假期至2月2日). Every day inside a 放假
// range is a day off, weekends included, and only the days a notice names
// are listed, which is the form of the embedded data: each notice from 2007
// to 2026 gives exactly the days [Official] lists for its year (see
// testdata/notices). A weekday in brackets that contradicts its date is a
// [*NoticeWeekdayError]; a sentence naming dates in a form the parser does
// not know is a [*NoticeError] quoting it. Either way no day is returned:
// never a partial schedule. The days then go through the checks of
// [Calendar.WithSchedule], so a notice read wrong cannot leave a hole or a
// contradiction in the calendar.
//
// [Calendar.BusinessCalendar] exposes a calendar as a rickar/cal
// *cal.BusinessCalendar that agrees with it inside the coverage.
//
// # Counting periods
//
// A [Period] is N units of hours (时), days (日), working days (工作日),
// months (月) or years (年); [ParsePeriod] reads "24h", "15d", "10wd", "6m",
// "1y". [Calendar.Due] and [Calendar.Compute] apply these rules (the IDs are
// those of the project's legal reference, section 1):
//
//   - The start day is not counted; a day, month or year period starts on the
//     next day, an hour period at the next whole hour (CPL 2023 art. 85(2),
//     Interpretation art. 125, Civil Code art. 201; P2, P7).
//   - A month or year period ends on the corresponding day of its last month,
//     or that month's last day if it has none: 2024-01-31 + 1 month is
//     2024-02-29 (Civil Code art. 202; P8).
//   - Rest days inside a period are counted. If the last day is a rest day or
//     a holiday, the period ends on the first working day after it; a make-up
//     workday is a working day (CPL art. 85(3), Civil Code art. 203; P3, P9,
//     P14). [Spec.NoExtension] switches this off for rules that must not move
//     (a seizure term, reference A10). Hour periods are never extended: the
//     rule moves a last day, not an hour.
//   - A working-day period ends on the N-th working day after the start and
//     needs no extension (P13).
//   - "超过" ([Spec.Exceed]) is satisfied only from the day after the period
//     ends, extension included (Civil Code art. 1259; P11).
//   - Deductions ([Spec.Deductions]: 公告, 评估, 中止, 暂缓, 和解 …) are merged
//     into their union and added day for day, in date order, to the running
//     period; an interval reached only because of an earlier one counts too
//     (reference A5). For a working-day period the working days still to run
//     resume after the interval. The rest-day extension is applied last, to
//     the deducted end. [Result.DaysRemaining] gives the days left on a date
//     without counting deducted days.
//   - A period ends at 24:00 China Standard Time on its due date (Civil Code
//     art. 203); [Result.InTime] reports whether an instant meets it.
//
// # Decisions
//
// Backward periods ("拍卖十五日前公告", [Spec.Backward]) give the latest date
// on which the act may be done. Following reference A4, both the act's day
// and the anchor day are excluded, so N full days lie between them: for an
// auction on 2024-10-20 and 15 days, the latest day is 2024-10-04. The date
// is not moved for holidays (moving it later would shorten the notice, moving
// it earlier is the caller's choice); the explanation warns when it is a rest
// day.
//
// A zero period ends on its start day: the act is due the same day, and the
// day is not extended even if it is a holiday. A negative period counts
// backwards exactly like Backward with the same length; combining the two is
// an error. [Calendar.AddWorkdays] with n == 0 returns the day itself, and
// [Calendar.WorkdaysBetween] counts (from, to] and is negative when to is
// before from.
//
// # Explanations
//
// Every [Result] carries its Basis (e.g. "《中华人民共和国民事诉讼法》第八十五条",
// and "《中华人民共和国民法典》第二百零二条" for a month period) and ordered
// [Step]s with a machine-readable [StepCode] and Chinese text:
//
//	start   起算日 2024-09-30（不计入期间）
//	count   期间5日，自次日 2024-10-01 起算，期间届满日为 2024-10-05
//	extend  顺延：2024-10-05 为国庆节（法定节假日），期间届满日顺延至其后第一个工作日 2024-10-08
//	due     期间届满日为 2024-10-08，至当日24时（北京时间）届满
//
// # Legal sources
//
//   - 《中华人民共和国民事诉讼法》(2023) 第八十五条 (periods).
//   - 《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》(2022) 第一百二十五条.
//   - 《中华人民共和国民法典》第二百条至第二百零四条 (computing periods), 第一千二百五十九条 (以上, 超过).
//   - 《全国年节及纪念日放假办法》(2024) and the yearly State Council notices (rest days, 调休).
//   - 《最高人民法院关于严格执行案件审理期限制度的若干规定》第九条 and the 2008 enforcement
//     interpretation, art. 13 (periods not counted, reference E19, E20).
package deadline
