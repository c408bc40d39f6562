// Package sms holds the SMS senders that implement [notify.Sender], and the
// inbound handlers that turn a gateway's delivery receipts and party replies
// into values for the caller.
//
// # Senders
//
//   - [Console] writes each message to a writer or a [slog.Logger], with the
//     mobile number and any resident ID number masked. It is for development
//     and for courts that have no gateway yet.
//   - [Webhook] POSTs each message as signed JSON to a URL the vendor runs,
//     for gateways that zhixing has no adapter for.
//   - [Aliyun] calls Alibaba Cloud SMS (dysmsapi SendSms) with an approved
//     signature name and the court's approved templates.
//   - [Failover] tries a second gateway when the first fails in a way that
//     may succeed elsewhere.
//
// Every sender reports a failure as a *[notify.SendError] that matches
// [notify.ErrRetryable] or [notify.ErrPermanent], keeping the provider's
// code and message, and every sender is safe for concurrent use.
//
// # Webhook signatures
//
// Both directions of [Webhook] carry the header
//
//	X-Zhixing-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>
//
// where the HMAC key is the shared secret and the signed text is the
// decimal timestamp, a full stop and the raw request body ("t.body"), as
// in Stripe's webhook scheme. A receiver recomputes the HMAC, compares it
// in constant time, rejects timestamps outside its tolerance (five minutes
// by default) and remembers signatures and event IDs it has accepted so a
// captured request cannot be replayed within that window. Several v1
// entries may be sent, so a sender can sign with an old and a new secret
// while the secret is rotated.
//
// # Inbound events
//
// [DeliveryReceipt] and [InboundReply] are the values the inbound handlers
// pass to the caller's callbacks. They live here until package notify has
// its own inbound types; notify will accept them field for field. Two
// sources produce them:
//
//   - [Webhook.ReceiptHandler] and [Webhook.ReplyHandler] take one signed
//     event per request from a vendor's gateway;
//   - [AliyunPush.ReportHandler] and [AliyunPush.UpHandler] take the
//     unsigned JSON arrays Alibaba Cloud pushes (SmsReport, SmsUp) to a
//     URL that carries a secret token, optionally limited to its address
//     ranges, and deliver each item once however often the batch is
//     pushed.
//
// # Idempotency
//
// Each message carries the outbox's idempotency key. [Webhook] sends it as
// the Idempotency-Key header and in the body, and [Aliyun] sends it as
// OutId so delivery receipts can be matched to it. Alibaba Cloud documents
// that SendSms itself is not idempotent, so a timed-out SendSms may have
// been delivered; the dispatcher's retry policy has to accept that risk.
package sms
