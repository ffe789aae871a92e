// Package nacos is the client side of the Nacos SDK gRPC protocol shared by the load generators: the Payload codec
// (written by hand with protowire, so no generated protobuf code is needed), the SDK's connection setup, answers to the
// requests a server pushes on the bi-stream, and the Java SDK's keep-alive.
package nacos

import (
	"bytes"
	"encoding/json"
	"errors"

	"google.golang.org/protobuf/encoding/protowire"
)

// rawCodec passes already-encoded Payload bytes through.
type rawCodec struct{}

func (rawCodec) Marshal(v any) ([]byte, error)      { return v.([]byte), nil }
func (rawCodec) Unmarshal(data []byte, v any) error { *(v.(*[]byte)) = data; return nil }
func (rawCodec) Name() string                       { return "proto" }

// EncodePayload builds Payload{metadata{type=3, headers=7, clientIp=8}, body Any{value=2}}; headers may be nil.
func EncodePayload(typ string, headers map[string]string, body string) []byte {
	var meta []byte
	meta = protowire.AppendTag(meta, 3, protowire.BytesType)
	meta = protowire.AppendString(meta, typ)
	for k, v := range headers {
		var e []byte
		e = protowire.AppendTag(e, 1, protowire.BytesType)
		e = protowire.AppendString(e, k)
		e = protowire.AppendTag(e, 2, protowire.BytesType)
		e = protowire.AppendString(e, v)
		meta = protowire.AppendTag(meta, 7, protowire.BytesType)
		meta = protowire.AppendBytes(meta, e)
	}
	meta = protowire.AppendTag(meta, 8, protowire.BytesType)
	meta = protowire.AppendString(meta, "127.0.0.1")
	var anyMsg []byte
	anyMsg = protowire.AppendTag(anyMsg, 2, protowire.BytesType)
	anyMsg = protowire.AppendString(anyMsg, body)
	var p []byte
	p = protowire.AppendTag(p, 2, protowire.BytesType)
	p = protowire.AppendBytes(p, meta)
	p = protowire.AppendTag(p, 3, protowire.BytesType)
	p = protowire.AppendBytes(p, anyMsg)
	return p
}

// fieldsOf returns the length-delimited fields of one message by number (the last occurrence wins).
func fieldsOf(b []byte) map[protowire.Number][]byte {
	out := map[protowire.Number][]byte{}
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return out
		}
		b = b[n:]
		if typ == protowire.BytesType {
			v, m := protowire.ConsumeBytes(b)
			if m < 0 {
				return out
			}
			out[num] = v
			b = b[m:]
		} else {
			m := protowire.ConsumeFieldValue(num, typ, b)
			if m < 0 {
				return out
			}
			b = b[m:]
		}
	}
	return out
}

// DecodePayload returns the metadata type and the JSON body of a Payload.
func DecodePayload(b []byte) (string, []byte) {
	f := fieldsOf(b)
	return string(fieldsOf(f[2])[3]), fieldsOf(f[3])[2]
}

// CheckResponse decodes a response Payload and fails unless it has type `expect` and resultCode 200.
func CheckResponse(out []byte, expect string) error {
	typ, body := DecodePayload(out)
	if typ != expect || !bytes.Contains(body, []byte(`"resultCode":200`)) {
		return errors.New(typ + " " + string(body))
	}
	return nil
}

var requestIDKey = []byte(`"requestId":"`)

// RequestID finds a push's top-level requestId without parsing the (possibly large) body. Java puts it last and bnacos
// first (right after "headers":{}): the first occurrence is taken if no object follows it (last) or if what precedes
// it is the outer object's own level (first); anything else falls back to a full parse.
func RequestID(b []byte) string {
	if i := bytes.Index(b, requestIDKey); i >= 0 && (bytes.IndexByte(b[i:], '{') < 0 || outerLevel(b[:i])) {
		return idAt(b, i)
	}
	var push struct {
		RequestID string `json:"requestId"`
	}
	if json.Unmarshal(b, &push) == nil {
		return push.RequestID
	}
	return ""
}

// idAt reads the string value of the key at b[i:]; "" if it is not a plain string.
func idAt(b []byte, i int) string {
	rest := b[i+len(requestIDKey):]
	if j := bytes.IndexByte(rest, '"'); j >= 0 && bytes.IndexByte(rest[:j], '\\') < 0 {
		return string(rest[:j])
	}
	return ""
}

// outerLevel tells whether JSON text that opens an object ends at that object's own level (not inside a nested
// value or a string).
func outerLevel(prefix []byte) bool {
	depth, inString, escaped := 0, false, false
	for _, c := range prefix {
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case inString:
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
		}
	}
	return depth == 1 && !inString
}
