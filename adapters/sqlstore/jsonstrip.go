package sqlstore

// withoutMembers returns the JSON object b without its top-level members
// named in drop, and whether b could be read: a list reads its items
// without their explanation (steps, calc_basis), more than half of a
// stored due item, so the decoder need not validate and skip it. It only
// scans (strings with their escapes, nesting, literals); on anything it
// does not expect it returns false and the caller decodes b whole, so a
// document it cannot read is never misread. Member names are compared as
// written, without unescaping: this package writes them plainly.
func withoutMembers(b []byte, drop ...string) ([]byte, bool) {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return nil, false
	}
	out := make([]byte, 0, len(b))
	out = append(out, '{')
	i++
	first := true
	for {
		i = skipSpace(b, i)
		if i >= len(b) {
			return nil, false
		}
		if b[i] == '}' {
			if skipSpace(b, i+1) != len(b) {
				return nil, false
			}
			return append(out, '}'), true
		}
		if !first {
			if b[i] != ',' {
				return nil, false
			}
			i = skipSpace(b, i+1)
		}
		keyStart := i
		keyEnd, ok := skipValue(b, i)
		if !ok || b[keyStart] != '"' {
			return nil, false
		}
		i = skipSpace(b, keyEnd)
		if i >= len(b) || b[i] != ':' {
			return nil, false
		}
		valEnd, ok := skipValue(b, skipSpace(b, i+1))
		if !ok {
			return nil, false
		}
		name := string(b[keyStart+1 : keyEnd-1])
		kept := true
		for _, d := range drop {
			if name == d {
				kept = false
				break
			}
		}
		if kept {
			if len(out) > 1 {
				out = append(out, ',')
			}
			out = append(out, b[keyStart:valEnd]...)
		}
		first = false
		i = valEnd
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipValue returns the end of the JSON value starting at b[i].
func skipValue(b []byte, i int) (int, bool) {
	if i >= len(b) {
		return 0, false
	}
	switch b[i] {
	case '"':
		for j := i + 1; j < len(b); j++ {
			switch b[j] {
			case '\\':
				j++
			case '"':
				return j + 1, true
			}
		}
		return 0, false
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				end, ok := skipValue(b, j)
				if !ok {
					return 0, false
				}
				j = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1, true
				}
			}
		}
		return 0, false
	}
	j := i
	for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\t' && b[j] != '\n' && b[j] != '\r' && b[j] != ':' {
		j++
	}
	return j, j > i
}
