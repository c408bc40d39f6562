package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/courtkit/zhixing/enforcement"
)

// due_tallies counts the open due items per court, judge, date in force,
// owner and kind (task or right), so that the chief's report counts a
// court's items from a few thousand rows. Every write of due_items applies
// its change to the counts in the same transaction, keys in one order so
// that concurrent writers lock the rows they share in that order and do
// not deadlock.

// tallyKey is one row of due_tallies.
type tallyKey struct {
	court, judge, due, owner string
	right                    bool
}

// tallies are changes to due_tallies' counts.
type tallies map[tallyKey]int

// addCase adds case c's open due items, with sign +1 or -1.
func (t tallies) addCase(c *enforcement.Case, sign int) {
	for i := range c.DueItems {
		d := &c.DueItems[i]
		if d.IsOpen() {
			t[tallyKey{c.Court, c.JudgeID, d.Due().String(), d.Owner, d.IsRight()}] += sign
		}
	}
}

// removeStored subtracts the open due items stored for case id, as the
// rows say (their court, judge and date as written then).
func (s *Store) removeStored(ctx context.Context, tx *sql.Tx, t tallies, id string) error {
	rows, err := tx.QueryContext(ctx, s.q(`SELECT court, judge_id, due_on, owner, is_right, COUNT(*) FROM due_items
		WHERE case_id = ? AND is_open = ? GROUP BY court, judge_id, due_on, owner, is_right`), id, true)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k tallyKey
		var n int
		if err := rows.Scan(&k.court, &k.judge, &k.due, &k.owner, &k.right, &n); err != nil {
			return err
		}
		t[k] -= n
	}
	return rows.Err()
}

// tallyColumns are the columns of a due_tallies row, in the order of
// tallyRows.
const tallyColumns = "court, judge_id, due_on, owner, is_right, n"

// tallyRows yields the rows of t that are not zero, in the order of
// sortedKeys, as rows of a table that holds no counts yet.
func tallyRows(t tallies) rowSource {
	keys := t.sortedKeys()
	return func() ([]any, error) {
		for len(keys) > 0 {
			k := keys[0]
			keys = keys[1:]
			if n := t[k]; n != 0 {
				return []any{k.court, k.judge, k.due, k.owner, k.right, n}, nil
			}
		}
		return nil, nil
	}
}

// sortedKeys returns the keys of t in the order of due_tallies' key.
func (t tallies) sortedKeys() []tallyKey {
	return slices.SortedFunc(maps.Keys(t), func(a, b tallyKey) int {
		return cmp.Or(cmp.Compare(a.court, b.court), cmp.Compare(a.judge, b.judge), cmp.Compare(a.due, b.due),
			cmp.Compare(a.owner, b.owner), compareBool(a.right, b.right))
	})
}

// apply writes the changes t to due_tallies, dropping the rows whose count
// falls to zero.
func (s *Store) applyTallies(ctx context.Context, tx *sql.Tx, t tallies) error {
	keys := t.sortedKeys()
	var rows [][]any
	var emptied []tallyKey
	for _, k := range keys {
		n := t[k]
		if n == 0 {
			continue
		}
		rows = append(rows, []any{k.court, k.judge, k.due, k.owner, k.right, n})
		if n < 0 {
			emptied = append(emptied, k)
		}
	}
	const width = 6
	const per = 1000 // rows per statement, well under the parameter limits
	for start := 0; start < len(rows); start += per {
		end := min(start+per, len(rows))
		var b strings.Builder
		b.WriteString("INSERT INTO due_tallies (court, judge_id, due_on, owner, is_right, n) VALUES ")
		args := make([]any, 0, (end-start)*width)
		for i := start; i < end; i++ {
			if i > start {
				b.WriteString(", ")
			}
			b.WriteString("(" + placeholders(width) + ")")
			args = append(args, rows[i]...)
		}
		b.WriteString(s.sql.upsert("court, judge_id, due_on, owner, is_right", "n = due_tallies.n + "+s.sql.excluded("n")))
		if _, err := tx.ExecContext(ctx, s.q(b.String()), args...); err != nil {
			return fmt.Errorf("count due items: %w", err)
		}
	}
	for _, k := range emptied {
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM due_tallies WHERE court = ? AND judge_id = ? AND due_on = ? AND owner = ? AND is_right = ? AND n <= 0`),
			k.court, k.judge, k.due, k.owner, k.right); err != nil {
			return fmt.Errorf("count due items: %w", err)
		}
	}
	return s.applyDueTotals(ctx, tx, t)
}

func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case b:
		return -1
	}
	return 1
}
