using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace KvHost.Tests.TestKit;

/// <summary>
/// Generators of request bodies, each labelled with what it means (<see cref="BodyMeaning"/>) at the
/// moment it is built: the model never asks the server's own parser whether a body was valid.
/// </summary>
public sealed class JsonBodies(int maxValueBytes)
{
    /// <summary>The server's nesting limit, counted with the body's own object as depth 1.</summary>
    public const int MaxDepth = 64;

    /// <summary>The deepest value the server takes: it must still fit, three levels down, in the answers that carry it.</summary>
    public const int MaxValueDepth = MaxDepth - 3;

    /// <summary>Bytes a body may have beyond MAX_VALUE_BYTES (the server's envelope allowance).</summary>
    public const int EnvelopeBytes = 4096;

    private static readonly string[] Strings =
    [
        "\"\"", "\"hello\"", "\"été\"", "\"😀\"", "\"\\uD83D\\uDE00\"", "\"\\n\\t\\\"\\\\\\/\"", "\"\\u0000\"", "\"<b>&'\"", "\"\u2028\"", "\"%FF\"",
    ];

    private static readonly string[] Numbers =
    [
        "0", "-0", "7", "-42", "1.5", "-1E-7", "1.5e10", "1e308", "123456789012345678901234567890", "9223372036854775808",
    ];

    private static readonly string[] ObjectKeys = ["\"a\"", "\"value\"", "\"\"", "\"é\"", "\"\\uD83D\\uDE00\"", "\"k0\""];

    /// <summary>Non-null JSON values, nested a little, within every limit unless their size says otherwise.</summary>
    public Gen<string> Values => Gen.Sized(size => Value(Math.Min(size / 20, 3)));

    /// <summary>Bodies for <c>PUT /kv/{key}</c>: two thirds well-formed puts, the rest every way of being malformed.</summary>
    public Gen<Body> PutBodies => Gen.Frequency(
        (13, from value in Gen.Frequency((12, Values), (1, NearLimitString), (1, DeepArrays)) from layout in Gen.Elements("{0}", "{{ \"value\" : {0} }}", "\n{0}\n", "\t{0}")
             select Put(value, layout)),
        (7, MalformedPutBodies));

    /// <summary>Bodies for <c>POST /replication/entries</c>; <paramref name="wellFormedEpochSeq"/> picks epoch and seq for a well-formed entry.</summary>
    public Gen<Body> EntryBodies(Gen<(long Epoch, long Seq)> wellFormedEpochSeq)
    {
        var epochSeq = Gen.Frequency(
            (6, wellFormedEpochSeq.Select(p => (Epoch: Invariant(p.Epoch), Seq: Invariant(p.Seq), Ok: true))),
            (4, from e in Gen.Elements("-1", "0", "1.5", "\"1\"", "9223372036854775808", "1e3", "null", "true", "[1]")
                from s in Gen.Elements("-1", "0", "2.5", "\"2\"", "99999999999999999999", "-9223372036854775808", "null", "{}")
                from which in Gen.Elements(0, 1, 2)
                select which switch
                {
                    0 => (Epoch: e, Seq: "1", Ok: false),
                    1 => (Epoch: "1", Seq: s, Ok: false),
                    _ => (Epoch: e, Seq: s, Ok: false),
                }));
        var keys = Gen.Frequency(
            (6, Gen.Elements("\"k0\"", "\"k1\"", "\"été\"", "\"" + new string('k', 256) + "\"").Select(k => (Key: k, Ok: true))),
            (1, Gen.Elements("\"\"", "\"" + new string('k', 257) + "\"", "\"a\\u0001b\"", "7", "null", "[\"k\"]", "\"\\uD800\"").Select(k => (Key: k, Ok: false))));
        var opAndValue = Gen.Frequency(
            (4, Values.Select(v => (Op: "\"put\"", Value: (string?)v, Ok: Bytes(v) <= maxValueBytes))),
            (2, Gen.Elements<string?>(null, "null").Select(v => (Op: "\"delete\"", Value: v, Ok: true))),
            (2, from op in Gen.Elements("\"merge\"", "\"PUT\"", "\"\"", "null", "1", "\"put\"", "\"delete\"")
                from value in Gen.Elements<string?>(null, "null", "1", "\"\\uDC00\"", "\"" + new string('v', maxValueBytes) + "\"")
                select (Op: op, Value: value, Ok: (op == "\"put\"" && value is "1") || (op == "\"delete\"" && value is null or "null"))));
        var extra = Gen.Frequency((8, Gen.Constant(string.Empty)), (1, Gen.Elements(", \"extra\": true", ", \"seq\": 3", ", \"Key\": \"k\"")));
        return from es in epochSeq
               from k in keys
               from ov in opAndValue
               from more in extra
               let value = ov.Value is null ? string.Empty : $", \"value\": {ov.Value}"
               let text = $"{{\"epoch\": {es.Epoch}, \"seq\": {es.Seq}, \"op\": {ov.Op}, \"key\": {k.Key}{value}{more}}}"
               let ok = es.Ok && k.Ok && ov.Ok && more.Length == 0 && (ov.Value is null || Depth(ov.Value) <= MaxValueDepth)
               select Body.Of(text, ok ? "entry" : "malformed entry", ok ? BodyMeaning.Entry : BodyMeaning.Malformed);
    }

    /// <summary>Bodies of every kind, for requests whose method or path has nothing to do with them.</summary>
    public Gen<Body> AnyBodies => Gen.OneOf(PutBodies, EntryBodies(Gen.Constant((1L, 1L))), MalformedPutBodies);

    /// <summary>A body <c>{"value": v}</c> laid out by <paramref name="layout"/>; a valid put only if every limit holds.</summary>
    public Body Put(string value, string layout = "{0}")
    {
        var text = string.Format(CultureInfo.InvariantCulture, layout.Contains("value", StringComparison.Ordinal) ? layout : layout.Replace("{0}", "{{\"value\":{0}}}", StringComparison.Ordinal), value);
        var ok = Bytes(value) <= maxValueBytes && Depth(value) <= MaxValueDepth && Bytes(text) <= maxValueBytes + EnvelopeBytes;
        return Body.Of(text, ok ? "put" : "put over a limit", ok ? BodyMeaning.Put : BodyMeaning.Malformed, ok ? value : null);
    }

    /// <summary>Nesting depth of JSON text (strings skipped): <c>[[1]]</c> is 2.</summary>
    public static int Depth(string json)
    {
        int depth = 0, deepest = 0;
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (inString)
            {
                i += c == '\\' ? 1 : 0;
                inString = c != '"';
            }
            else if (c is '[' or '{')
            {
                deepest = Math.Max(deepest, ++depth);
            }
            else if (c is ']' or '}')
            {
                depth--;
            }
            else
            {
                inString = c == '"';
            }
        }

        return deepest;
    }

    private Gen<Body> MalformedPutBodies => Gen.OneOf(
        Gen.Elements(
            "{\"value\": null}", "{}", "{\"Value\": 1}", "{\"value\": 1, \"ttl\": 5}", "{\"value\": 1, \"value\": 2}", "{\"value\": {\"a\": 1, \"a\": 2}}",
            "[1, 2]", "[{\"value\": 1}]", "\"value\"", "1", "true", "null", string.Empty, "   ", "{\"value\": 1,}", "{\"value\": 1 /* c */}",
            "{'value': 1}", "{value: 1}", "{\"value\": NaN}", "{\"value\": -Infinity}", "{\"value\": 01}", "{\"value\": 1}{\"value\": 2}", "{\"value\": 1} x",
            "\uFEFF{\"value\": 1}", "{\"value\": \"\\uD800\"}", "{\"value\": \"x\\uDC00\"}", "{\"value\": {\"\\uD800\": 1}}", "{\"\\uD800\": 1}",
            "{\"value\": [\"a\", \"\\uDBFF\\u0041\"]}", "{\"value\": \"a\u0001b\"}", "{\"value\": \"unterminated}", "{\"value\": \"\\x41\"}", "{\"value\" 1}")
            .Select(text => Body.Of(text, "malformed", BodyMeaning.Malformed)),
        Values.Select(v => Put(v).Bytes).Select(bytes => new Body(bytes[..^1], "truncated", BodyMeaning.Malformed)),
        Gen.Elements("{\"value\": \"", "{\"value\": [\"").Select(start => new Body([.. Encoding.UTF8.GetBytes(start), 0xFF, 0xFE, .. "\"}"u8], "invalid UTF-8", BodyMeaning.Malformed)),
        Gen.ArrayOf(Gen.Elements('{', '}', '[', ']', '"', ':', ',', '1', 'a', ' ', '\\', 'n', 'u')).Select(chars => Body.Of("~" + new string(chars), "garbage", BodyMeaning.Malformed)),
        Gen.Elements(MaxValueDepth + 1, MaxDepth - 1, MaxDepth, 200, 5000).Select(depth => Put(Nested(depth, "[", "]"))),
        Gen.Elements(MaxValueDepth, MaxValueDepth + 1, 100).Select(depth => Put(Nested(depth, "{\"a\":", "}", "1"))),
        Gen.Elements(1, 2, 100, 10 * maxValueBytes).Select(over => Put("\"" + new string('v', maxValueBytes - 2 + over) + "\"")),
        Values.Select(v => Put(v, "{0}" + new string(' ', maxValueBytes + EnvelopeBytes))));

    private Gen<string> NearLimitString => Gen.Choose(-40, 0).Select(under => "\"" + new string('v', maxValueBytes - 2 + under) + "\"");

    private static Gen<string> DeepArrays => Gen.Elements(10, MaxValueDepth - 1, MaxValueDepth).Select(depth => Nested(depth, "[", "]"));

    private static Gen<string> Value(int depth)
    {
        var leaf = Gen.Frequency(
            (3, Gen.Elements(Strings)),
            (3, Gen.Elements(Numbers)),
            (1, Gen.Choose(-1000, 1000).Select(Invariant)),
            (1, Gen.Elements("true", "false")));
        if (depth == 0)
        {
            return leaf;
        }

        var item = Gen.Frequency((5, Value(depth - 1)), (1, Gen.Constant("null")));
        var array = Gen.ListOf(item, 4).Select(items => "[" + string.Join(", ", items) + "]");
        var obj = from count in Gen.Choose(0, ObjectKeys.Length)
                  from items in Gen.ListOf(item, count)
                  select "{" + string.Join(",", items.Select((v, i) => $"{ObjectKeys[i]}:{v}")) + "}";
        return Gen.Frequency((4, leaf), (1, array), (1, obj));
    }

    private static string Nested(int depth, string open, string close, string inner = "") =>
        string.Concat(Enumerable.Repeat(open, depth)) + inner + string.Concat(Enumerable.Repeat(close, depth));

    private static int Bytes(string text) => Encoding.UTF8.GetByteCount(text);

    private static string Invariant(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Invariant(int n) => n.ToString(CultureInfo.InvariantCulture);
}
