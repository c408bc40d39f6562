// Package notify drafts and delivers the text messages of an enforcement (执行)
// case: notices to parties, reminders to judges, coordination suggestions to
// judges and their leaders, and supervision orders (督办).
//
// Drafting is pure: a [Templates] set, bound to a court's [Config], renders a
// template key and its variables to a [Rendered] text with its exact SMS
// segment count. Delivery goes through the [Sender] port, which an adapter
// implements for a gateway.
//
// # An SMS informs; it is never service
//
// A text message from this package tells a party what happened in their case.
// It is not legal service (送达) of any document and never starts a legal
// period: service by electronic means needs the recipient's consent (CPL
// art. 90), and process disclosure (执行流程公开, SPC opinion of 2014) is
// information, not service. Templates therefore must not claim
// service: [LoadTemplates] rejects texts with phrases such as "已送达" or
// "视为送达" ([ErrClaimsService]), and the default templates do not mention
// 送达 at all.
//
// # Templates
//
// The library drafts one message per template key ([KeyFilingApplicant],
// [KeyOpinionSolicit], [KeyDeadlineReminder] …). Each key has an audience and a
// fixed set of variables, some of which its text must use ([TemplateSpecs]);
// each variable has a kind and a maximum length ([VarSpecs]).
//
// The texts are data. The default Chinese set is embedded from
// notify/templates/default.json ([DefaultTemplateSet]); a court replaces it
// with its own file in the same format, loaded by the same validator:
//
//	{"templates": [
//	  {"key": "reply.ack", "audience": "party",
//	   "text": "{party_name}您好：已收到您对{case_no}案的回复（{choice}），已记录在案。"},
//	  …
//	]}
//
// A text refers to variables as {name}; "{{" and "}}" are literal braces.
// Nothing else is interpreted: no functions, conditions or loops, so a court's
// file cannot run code or fail at send time in ways loading did not catch.
// {contact} and {query_site} come from the Config and are fixed at load time.
//
// Loading reports every problem at once in a [*LoadError]: syntax, unknown,
// duplicate or missing keys, a wrong audience, unknown variables, required
// variables left out, and any text whose worst case (every variable at its
// maximum length, signature included) could exceed Config.MaxSegments. So a
// text that loads never renders too long. At render time a missing or blank
// variable is a [*RenderError] matching [ErrMissingVar]; an identifier over its
// maximum matches [ErrValueTooLong]; free text over its maximum is cut, ending
// in "…".
//
// # Personal data
//
// [MaskPolicy] in the Config says what is masked; its zero value masks ID
// numbers (always: 310***********1234) and natural persons' names (张*明), and
// shows amounts and organisation names. [MaskMobile] masks numbers in logs
// (138****5678). Values are also sanitised: 【】 cannot forge a second
// signature, braces cannot pose as placeholders, and control characters
// become spaces.
//
// # Segments
//
// [Segments] counts exactly as gateways bill: GSM-7 (160 septets, or 153 per
// part, extension characters ^{}\[~]|€ counting two) when every character
// allows it, otherwise UCS-2 (70 UTF-16 code units, or 67 per part; an emoji
// counts two). A Chinese text is always UCS-2. The court's signature is part
// of the text and of its count.
package notify
