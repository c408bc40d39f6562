package notify

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// worstText returns the text of the fewest UTF-16 units that takes k > 2
// UCS-2 parts: every part but the last is one unit short of full because a
// surrogate pair would straddle its end.
func worstText(k int) string {
	var b strings.Builder
	b.WriteString(strings.Repeat("中", UCS2Part-1))
	for range k - 2 {
		b.WriteString("😀" + strings.Repeat("中", UCS2Part-3))
	}
	b.WriteString("😀")
	return b.String()
}

func TestWorstSegments_Exact(t *testing.T) {
	t.Parallel()
	require.Equal(t, 2, worstSegments(133), "133 units fit 2 parts whatever the characters")
	require.Equal(t, 3, worstSegments(134))
	require.Equal(t, 1, worstSegments(UCS2Single))
	require.Equal(t, 2, worstSegments(UCS2Single+1))
	for k := 3; k <= 10; k++ {
		s := worstText(k)
		u := utf16Len(s)
		n, enc := Segments(s)
		require.Equal(t, UCS2, enc)
		require.Equal(t, k, n, "the worst text of %d units", u)
		require.Equal(t, k, worstSegments(u), "the bound is reached at %d units", u)
		require.Equal(t, k-1, worstSegments(u-1), "and not below")
	}
	// No text exceeds the bound.
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"中", "😀", "a", "€", "{"}
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(500) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		s := b.String()
		n, _ := Segments(s)
		require.LessOrEqual(t, n, worstSegments(utf16Len(s)), "%q", s)
	}
}
