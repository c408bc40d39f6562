package enforcement

import (
	"cmp"
	"context"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/courtkit/zhixing/deadline"
)

// SupervisionSource answers the small questions the chief's report asks of
// a store about one court's cases ([SuperviseFrom]): how many open due items
// fall due on each date, which ones are most urgent, each judge's case
// figures, and the few cases the key-case, request and order lists need. A
// store answers them from its indexes without loading every case;
// [CaseSlice] answers them over cases in memory.
//
// All methods are safe for concurrent use: SuperviseFrom asks them at once.
// They return an error wrapping ctx.Err() when ctx is done, and nil slices
// (not an error) when nothing matches. The caller owns the returned slices
// and cases; they share no memory with the store. The answers need not form
// a snapshot: a change committed while they are read may show in one and
// not in another.
type SupervisionSource interface {
	// TallyDue counts court's open due items in one answer: those whose
	// date in force ([DueItem.Due]) is on or before through per due date,
	// judge, owner and kind (a task, or a party's right:
	// [DueItem.IsRight]), and those due after through per judge, owner and
	// kind, with Later set and a zero Due. At most one tally per
	// combination, each with N > 0, in any order. An item whose date in
	// force is the zero date (corrupt data) is counted under the zero date.
	TallyDue(ctx context.Context, court string, through deadline.Date) ([]DueTally, error)

	// ListDue returns court's open tasks (due items that are not a party's
	// right) whose date in force lies between from and through inclusive
	// (a zero from includes the items with a zero date), each with its
	// case's ID, number as written, judge and key flag. Each Item carries
	// at least what a [DueFlag] shows: ID, Rule, Title, Owner, Severity,
	// Computed, Override, Provisional, Status and Right; the explanation
	// (Basis, Steps, …) may be left out.
	//
	// With limit > 0 it returns the first limit of them ordered by date in
	// force, then case ID, then item ID (IDs compared byte by byte), in
	// that order; without a limit, all of them in any order.
	ListDue(ctx context.Context, court string, from, through deadline.Date, limit int) ([]DueRef, error)

	// TallyCases returns court's case figures per judge: one tally for
	// each judge with a case, open or closed, in any order.
	TallyCases(ctx context.Context, court string) ([]CaseTally, error)

	// SupervisedCases returns court's key cases, its cases with a party
	// request not yet answered and its cases with a supervision order,
	// each once, in any order. Each carries at least ID, Number, Court,
	// JudgeID, Status, FiledOn, Key, Requests and Orders, and a key case
	// also its open tasks in the case's order (its rights may be left
	// out), each with at least ID, Title, Owner, Status and Right, and
	// its date in force: Computed holds it and Override may be left out.
	// Other fields may be left out.
	SupervisedCases(ctx context.Context, court string) ([]*Case, error)
}

// DueTally counts the open due items of one judge, one owner and one kind
// (task or right) that fall due on one date, or after the date asked for
// when Later is set ([SupervisionSource.TallyDue]).
type DueTally struct {
	Due deadline.Date
	// Later is set for the items due after the date asked for; Due is
	// then zero.
	Later   bool
	JudgeID string
	// Owner is the items' DueItem.Owner as stored ("" included).
	Owner string
	// Right is set for a party's rights ([DueItem.IsRight]).
	Right bool
	N     int
}

// CaseTally is one judge's case figures as [SupervisionSource.TallyCases]
// counts them.
type CaseTally struct {
	JudgeID string
	// Open counts the cases not closed, Closed the closed ones.
	Open, Closed int
	// KeyCases counts the key cases, open or closed.
	KeyCases int
	// Applied and Recovered sum the cases' AmountApplied and
	// AmountRecovered.
	Applied, Recovered decimal.Decimal
	// LateAnswers counts the party requests answered after their
	// resolve-by date.
	LateAnswers int
	// OpenFiled counts the open cases per filing date, at most one count
	// per date, in any order.
	OpenFiled []DateCount
}

// DateCount is a number of things on one date.
type DateCount struct {
	Date deadline.Date
	N    int
}

// CaseSlice is a [SupervisionSource] over cases held in memory: [Supervise]
// composes its report from it, and a store that keeps its cases in memory
// can answer with it. It answers for every case it holds, whatever the
// court asked for, and skips nil cases. It only reads the cases, and its
// answers share no memory with them; it is safe for concurrent use as long
// as nobody changes the cases meanwhile.
type CaseSlice []*Case

var _ SupervisionSource = CaseSlice(nil)

// tallyKey is a due date (zero for later items), a judge and an owner,
// the last two by their place in the tally's lists: hashing a date and
// two small integers per item, rather than two strings, keeps a tally of a
// million items fast.
type tallyKey struct {
	due          deadline.Date
	judge, owner int32
	later, right bool
}

// TallyDue implements [SupervisionSource].
func (cs CaseSlice) TallyDue(ctx context.Context, _ string, through deadline.Date) ([]DueTally, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var judges, owners []string
	judgeIdx := map[string]int32{}
	counts := map[tallyKey]int{}
	for _, c := range cs {
		if c == nil {
			continue
		}
		j, ok := judgeIdx[c.JudgeID]
		if !ok {
			j = int32(len(judges))
			judges = append(judges, c.JudgeID)
			judgeIdx[c.JudgeID] = j
		}
		for i := range c.DueItems {
			d := &c.DueItems[i]
			if !d.IsOpen() {
				continue
			}
			o := slices.Index(owners, d.Owner) // a handful of owners
			if o < 0 {
				o = len(owners)
				owners = append(owners, d.Owner)
			}
			k := tallyKey{due: d.Due(), judge: j, owner: int32(o), right: d.IsRight()}
			if k.due.After(through) {
				k.due, k.later = deadline.Date{}, true
			}
			counts[k]++
		}
	}
	if len(counts) == 0 {
		return nil, nil
	}
	out := make([]DueTally, 0, len(counts))
	for k, n := range counts {
		out = append(out, DueTally{Due: k.due, Later: k.later, JudgeID: judges[k.judge], Owner: owners[k.owner], Right: k.right, N: n})
	}
	return out, nil
}

// ListDue implements [SupervisionSource]. It picks the items first and
// copies only those it returns.
func (cs CaseSlice) ListDue(ctx context.Context, _ string, from, through deadline.Date, limit int) ([]DueRef, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	type pick struct {
		c *Case
		d *DueItem
	}
	var picks []pick
	for _, c := range cs {
		if c == nil {
			continue
		}
		for i := range c.DueItems {
			d := &c.DueItems[i]
			if due := d.Due(); !d.IsOpen() || d.IsRight() || due.Before(from) || due.After(through) {
				continue
			}
			picks = append(picks, pick{c, d})
		}
	}
	if len(picks) == 0 {
		return nil, nil
	}
	if limit > 0 {
		slices.SortFunc(picks, func(a, b pick) int { return compareDue(a.d.Due(), a.c.ID, a.d.ID, b.d.Due(), b.c.ID, b.d.ID) })
		picks = picks[:min(limit, len(picks))]
	}
	out := make([]DueRef, len(picks))
	var last *Case
	number := ""
	for i, p := range picks {
		if p.c != last {
			last, number = p.c, p.c.Number.String()
		}
		out[i] = DueRef{CaseID: p.c.ID, Number: number, JudgeID: p.c.JudgeID, Key: p.c.Key, Item: p.d.head()}
	}
	return out, nil
}

// compareDue orders due items by date in force, then case ID, then item ID
// (byte by byte): the order of [SupervisionSource.ListDue] with a limit,
// which a store's index gives as well.
func compareDue(aDue deadline.Date, aCase, aID string, bDue deadline.Date, bCase, bID string) int {
	if c := aDue.Compare(bDue); c != 0 {
		return c
	}
	if c := cmp.Compare(aCase, bCase); c != 0 {
		return c
	}
	return cmp.Compare(aID, bID)
}

// head returns what a DueFlag shows of d, sharing no memory with it.
func (d *DueItem) head() DueItem {
	h := DueItem{ID: d.ID, Rule: d.Rule, Title: d.Title, Owner: d.Owner, Severity: d.Severity, Computed: d.Computed,
		Provisional: d.Provisional, Status: d.Status, DoneOn: d.DoneOn, Internal: d.Internal, Right: d.Right}
	if d.Override != nil {
		o := *d.Override
		h.Override = &o
	}
	return h
}

// TallyCases implements [SupervisionSource].
func (cs CaseSlice) TallyCases(ctx context.Context, _ string) ([]CaseTally, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	type acc struct {
		t     CaseTally
		filed map[deadline.Date]int
	}
	judges := map[string]*acc{}
	for _, c := range cs {
		if c == nil {
			continue
		}
		j := judges[c.JudgeID]
		if j == nil {
			j = &acc{t: CaseTally{JudgeID: c.JudgeID}, filed: map[deadline.Date]int{}}
			judges[c.JudgeID] = j
		}
		t := &j.t
		if c.IsClosed() {
			t.Closed++
		} else {
			t.Open++
			j.filed[c.FiledOn]++
		}
		if c.Key {
			t.KeyCases++
		}
		t.Applied = t.Applied.Add(c.AmountApplied)
		t.Recovered = t.Recovered.Add(c.AmountRecovered)
		for _, r := range c.Requests {
			if r.IsAnswered() && !r.ResolveBy.IsZero() && deadline.DateOf(r.AnsweredAt).After(r.ResolveBy) {
				t.LateAnswers++
			}
		}
	}
	if len(judges) == 0 {
		return nil, nil
	}
	out := make([]CaseTally, 0, len(judges))
	for _, j := range judges {
		for d, n := range j.filed {
			j.t.OpenFiled = append(j.t.OpenFiled, DateCount{Date: d, N: n})
		}
		out = append(out, j.t)
	}
	return out, nil
}

// SupervisedCases implements [SupervisionSource]. The cases carry the
// fields the interface promises and no others.
func (cs CaseSlice) SupervisedCases(ctx context.Context, _ string) ([]*Case, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []*Case
	for _, c := range cs {
		if c == nil || !(c.Key || len(c.Orders) > 0 || slices.ContainsFunc(c.Requests, func(r Request) bool { return !r.IsAnswered() })) {
			continue
		}
		s := &Case{ID: c.ID, Number: c.Number, Court: c.Court, JudgeID: c.JudgeID, Status: c.Status, FiledOn: c.FiledOn, Key: c.Key,
			Requests: slices.Clone(c.Requests), Orders: slices.Clone(c.Orders)}
		if c.Key {
			for i := range c.DueItems {
				if d := &c.DueItems[i]; d.IsOpen() {
					s.DueItems = append(s.DueItems, d.head())
				}
			}
		}
		out = append(out, s)
	}
	return out, nil
}

// medianAge returns the median of the ages in days on today of the cases
// counted in filed, to 1 place (the mean of the two middle ages for an
// even count), and zero for none.
func medianAge(filed []DateCount, today deadline.Date) decimal.Decimal {
	type ages struct{ days, n int }
	var xs []ages
	total := 0
	for _, f := range filed {
		if f.N > 0 {
			xs = append(xs, ages{today.Sub(f.Date), f.N})
			total += f.N
		}
	}
	if total == 0 {
		return decimal.Zero
	}
	slices.SortFunc(xs, func(a, b ages) int { return cmp.Compare(a.days, b.days) })
	// nth returns the n-th smallest age, counting from 0.
	nth := func(n int) int {
		for _, x := range xs {
			if n < x.n {
				return x.days
			}
			n -= x.n
		}
		panic("enforcement: median past the end") // unreachable: n < total
	}
	if total%2 == 1 {
		return decimal.NewFromInt(int64(nth(total / 2)))
	}
	return decimal.NewFromInt(int64(nth(total/2-1)+nth(total/2))).DivRound(decimal.NewFromInt(2), 1)
}
