package enforcement

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Role is a party's role in an enforcement case.
type Role int

// Party roles. The zero Role is unset.
const (
	RoleApplicant  Role = iota + 1 // 申请执行人
	RoleRespondent                 // 被执行人
	RoleInterested                 // 案外人 / 利害关系人
)

var roleCodes = [...]string{RoleApplicant: "applicant", RoleRespondent: "respondent", RoleInterested: "interested"}
var roleNames = [...]string{RoleApplicant: "申请执行人", RoleRespondent: "被执行人", RoleInterested: "案外人"}

// String returns the role's stable code, e.g. "applicant".
func (r Role) String() string { return enumString(roleCodes[:], int(r), "Role") }

// Chinese returns the role's Chinese name, e.g. 申请执行人.
func (r Role) Chinese() string { return enumString(roleNames[:], int(r), "Role") }

// MarshalText implements encoding.TextMarshaler.
func (r Role) MarshalText() ([]byte, error) { return enumMarshal(roleCodes[:], int(r), "role") }

// UnmarshalText implements encoding.TextUnmarshaler.
func (r *Role) UnmarshalText(b []byte) error {
	v, err := enumParse(roleCodes[:], string(b), "role")
	*r = Role(v)
	return err
}

// PartyKind says whether a party is a natural person or an organisation.
type PartyKind int

// Party kinds. The zero PartyKind is unset.
const (
	PartyPerson       PartyKind = iota + 1 // 自然人
	PartyOrganisation                      // 法人或非法人组织
)

var partyKindCodes = [...]string{PartyPerson: "person", PartyOrganisation: "organisation"}

// String returns the kind's stable code.
func (k PartyKind) String() string { return enumString(partyKindCodes[:], int(k), "PartyKind") }

// MarshalText implements encoding.TextMarshaler.
func (k PartyKind) MarshalText() ([]byte, error) {
	return enumMarshal(partyKindCodes[:], int(k), "party kind")
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (k *PartyKind) UnmarshalText(b []byte) error {
	v, err := enumParse(partyKindCodes[:], string(b), "party kind")
	*k = PartyKind(v)
	return err
}

// Party is an applicant (申请执行人), respondent (被执行人) or interested
// person of a case.
type Party struct {
	ID   string
	Role Role
	Kind PartyKind
	Name string
	// IDNumber is the resident identity number (身份证号) of a person or the
	// unified social credit code (统一社会信用代码) of an organisation. It
	// is never shown unmasked: see [IDNumber].
	IDNumber IDNumber
	// Mobile is a mainland mobile number in its 11-digit form, or "" if
	// unknown. Use [NormaliseMobile] on input.
	Mobile string
	// OptOut is set when the party asked not to receive SMS.
	OptOut bool
	// WrongNumber is set when the number was found not to belong to the party.
	WrongNumber bool
}

// Validate reports every problem with p.
func (p Party) Validate() error {
	pr := problems{what: "party"}
	p.validate(&pr, "")
	return pr.err()
}

func (p Party) validate(pr *problems, prefix string) {
	if p.ID == "" {
		pr.add(prefix+"id", "required", "")
	}
	if p.Role < RoleApplicant || p.Role > RoleInterested {
		pr.add(prefix+"role", "invalid_role", "")
	}
	if p.Kind != PartyPerson && p.Kind != PartyOrganisation {
		pr.add(prefix+"kind", "invalid_kind", "")
	}
	if strings.TrimSpace(p.Name) == "" {
		pr.add(prefix+"name", "required", "")
	} else if utf8.RuneCountInString(p.Name) > 100 {
		pr.add(prefix+"name", "too_long", "at most 100 characters")
	}
	if p.Mobile != "" {
		if m, err := NormaliseMobile(p.Mobile); err != nil || m != p.Mobile {
			pr.add(prefix+"mobile", "invalid_mobile", "want an 11-digit mainland mobile number")
		}
	}
	if !p.IDNumber.IsZero() {
		if err := p.IDNumber.check(p.Kind); err != nil {
			pr.add(prefix+"id_number", "invalid_id_number", err.Error())
		}
	}
}

// CanReceiveSMS reports whether the party may be sent SMS: it has a number,
// has not opted out, and the number is not marked wrong.
func (p Party) CanReceiveSMS() bool {
	return p.Mobile != "" && !p.OptOut && !p.WrongNumber
}

// NormaliseMobile returns the 11-digit form of a mainland mobile number,
// accepting "+86", "86" and "0086" prefixes and spaces or hyphens between
// digits. Anything else is an error.
func NormaliseMobile(s string) (string, error) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '+':
		default:
			return "", fmt.Errorf("enforcement: invalid mobile %q: unexpected character %q", s, r)
		}
	}
	d := b.String()
	switch {
	case len(d) == 15 && strings.HasPrefix(d, "0086"):
		d = d[4:]
	case len(d) == 13 && strings.HasPrefix(d, "86"):
		d = d[2:]
	}
	if len(d) != 11 || d[0] != '1' || d[1] < '3' || d[1] > '9' {
		return "", fmt.Errorf("enforcement: invalid mobile %q: want 11 digits starting 13–19", s)
	}
	return d, nil
}

// MaskMobile returns m with its middle four digits hidden: 138****5678.
func MaskMobile(m string) string {
	if len(m) != 11 {
		return strings.Repeat("*", len(m))
	}
	return m[:3] + "****" + m[7:]
}

// IDNumber is an identity number that never leaves the process unmasked by
// accident: String, MarshalText and fmt show "310***********1234". Storage
// adapters persist [IDNumber.Reveal] explicitly.
type IDNumber struct{ v string }

// NewIDNumber returns s as an IDNumber, upper-cased and trimmed. Use
// [Party.Validate] to check it against the party kind.
func NewIDNumber(s string) IDNumber {
	return IDNumber{v: strings.ToUpper(strings.TrimSpace(s))}
}

// Reveal returns the full number. Only storage and legally required
// documents should call it.
func (n IDNumber) Reveal() string { return n.v }

// IsZero reports whether n is empty.
func (n IDNumber) IsZero() bool { return n.v == "" }

// String returns the masked number: the first 3 and last 4 characters kept.
func (n IDNumber) String() string {
	if len(n.v) <= 7 {
		return strings.Repeat("*", len(n.v))
	}
	return n.v[:3] + strings.Repeat("*", len(n.v)-7) + n.v[len(n.v)-4:]
}

// GoString returns the masked number, so %#v does not leak it either.
func (n IDNumber) GoString() string { return `enforcement.IDNumber("` + n.String() + `")` }

// MarshalText returns the masked number. Storage must use Reveal.
func (n IDNumber) MarshalText() ([]byte, error) { return []byte(n.String()), nil }

// UnmarshalText accepts a full number. A masked number (containing '*') is
// an error, so a masked value read back from JSON cannot overwrite the
// stored one.
func (n *IDNumber) UnmarshalText(b []byte) error {
	if strings.ContainsRune(string(b), '*') {
		return fmt.Errorf("enforcement: id number is masked")
	}
	*n = NewIDNumber(string(b))
	return nil
}

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheck = "10X98765432"

func (n IDNumber) check(k PartyKind) error {
	s := n.v
	if k == PartyOrganisation {
		// GB 32100-2015 unified social credit code: 18 characters of
		// 0-9A-Z without I, O, Z, S, V, last one a check character.
		const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
		weights := [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
		if len(s) != 18 {
			return fmt.Errorf("credit code must have 18 characters")
		}
		sum := 0
		for i := 0; i < 17; i++ {
			v := strings.IndexByte(alphabet, s[i])
			if v < 0 {
				return fmt.Errorf("credit code has invalid character at %d", i+1)
			}
			sum += v * weights[i]
		}
		c := (31 - sum%31) % 31
		if s[17] != alphabet[c] {
			return fmt.Errorf("credit code check character mismatch")
		}
		return nil
	}
	// GB 11643-1999 citizen identity number.
	if len(s) != 18 {
		return fmt.Errorf("identity number must have 18 characters")
	}
	sum := 0
	for i := 0; i < 17; i++ {
		if s[i] < '0' || s[i] > '9' {
			return fmt.Errorf("identity number has a non-digit at %d", i+1)
		}
		sum += int(s[i]-'0') * idWeights[i]
	}
	if s[17] != idCheck[sum%11] {
		return fmt.Errorf("identity number check digit mismatch")
	}
	return nil
}

func enumString(codes []string, v int, typ string) string {
	if v <= 0 || v >= len(codes) || codes[v] == "" {
		return fmt.Sprintf("%s(%d)", typ, v)
	}
	return codes[v]
}

func enumMarshal(codes []string, v int, what string) ([]byte, error) {
	if v == 0 {
		return []byte{}, nil
	}
	if v < 0 || v >= len(codes) || codes[v] == "" {
		return nil, fmt.Errorf("enforcement: invalid %s %d", what, v)
	}
	return []byte(codes[v]), nil
}

func enumParse(codes []string, s, what string) (int, error) {
	if s == "" {
		return 0, nil
	}
	for i, c := range codes {
		if c != "" && c == s {
			return i, nil
		}
	}
	return 0, &ValidationError{What: what, Fields: []FieldError{{Field: what, Code: "unknown_code", Detail: fmt.Sprintf("unknown %s %q", what, s)}}}
}
