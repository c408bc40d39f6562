package sms_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/courtkit/zhixing/adapters/sms"
)

// BenchmarkAliyunSignature compares the signer with the recipe in
// Alibaba Cloud's signature topic (form-encode, then patch +, * and %7E).
func BenchmarkAliyunSignature(b *testing.B) {
	params := map[string]string{
		"AccessKeyId": "testid", "Action": "SendSms", "Format": "JSON", "RegionId": "cn-hangzhou",
		"SignatureMethod": "HMAC-SHA1", "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
		"SignatureVersion": "1.0", "Timestamp": "2026-03-02T01:30:00Z", "Version": "2017-05-25",
		"PhoneNumbers": "13812345678", "SignName": "某某区人民法院", "TemplateCode": "SMS_153055065",
		"TemplateParam": `{"caseno":"(2026)京0105执123号","date":"2026年3月9日"}`, "OutId": "c1/filing/applicant",
	}
	var baseNs float64
	b.Run("baseline", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = independentSign(http.MethodGet, params, "testsecret")
		}
		baseNs = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	})
	b.Run("zhixing", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = sms.AliyunSignature(http.MethodGet, params, "testsecret")
		}
		if ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N); baseNs > 0 && ns > 0 {
			b.ReportMetric(baseNs/ns, "x-vs-baseline")
		}
	})
}

// BenchmarkMaskIDNumbers compares the byte scanner with a regular
// expression that masks the same 18-character pattern.
func BenchmarkMaskIDNumbers(b *testing.B) {
	body := strings.Repeat("【某某区人民法院】申请人您好，您申请执行的(2026)京0105执123号案件已立案。", 3) + "身份证号110101199003071234。"
	re := regexp.MustCompile(`(^|[^0-9])([0-9]{3})[0-9]{11}([0-9]{3}[0-9Xx])([^0-9Xx]|$)`)
	var baseNs float64
	b.Run("baseline", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = re.ReplaceAllString(body, "${1}${2}***********${3}${4}")
		}
		baseNs = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	})
	b.Run("zhixing", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = sms.MaskIDNumbers(body)
		}
		if ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N); baseNs > 0 && ns > 0 {
			b.ReportMetric(baseNs/ns, "x-vs-baseline")
		}
	})
}

// BenchmarkVerifyWebhook measures the per-request cost of checking a
// signed delivery receipt.
func BenchmarkVerifyWebhook(b *testing.B) {
	body := []byte(receiptBody)
	header := sms.SignWebhook(secret, fixedNow, body)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sms.VerifyWebhook(secret, header, body, fixedNow, time.Minute); err != nil {
			b.Fatal(err)
		}
	}
}
