using System.Text.Json;
using System.Text.Json.Serialization;
using KvActors.Store;

namespace KvActors.Replication.Wire;

/// <summary>
/// A log entry as JSON, wherever it crosses a process boundary (a replicate message over
/// Akka.Remote, a catch-up page, a follower's held-back entries):
/// <c>{"epoch": 7, "seq": 42, "op": "put", "key": "k1", "value": {...}}</c> (no <c>value</c> for a delete).
/// </summary>
/// <param name="Epoch">The sending leader's epoch.</param>
/// <param name="Seq">The entry's sequence number.</param>
/// <param name="Op"><c>"put"</c> or <c>"delete"</c>; any other is a <see cref="JsonException"/> when read.</param>
/// <param name="Key">The key.</param>
/// <param name="Value">The value of a put.</param>
public sealed record EntryDocument(
    [property: JsonRequired] long Epoch,
    [property: JsonRequired] long Seq,
    [property: JsonRequired] WriteOp Op,
    [property: JsonRequired] string Key,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Value)
{
    /// <summary>The document of <paramref name="entry"/>.</summary>
    /// <param name="entry">A log entry.</param>
    /// <returns>Its wire form.</returns>
    public static EntryDocument From(LogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new(entry.Epoch, entry.Seq, entry.Op, entry.Key, entry.Value);
    }

    /// <summary>The log entry this document describes, checked in full: it may come from another process.</summary>
    /// <returns>The entry.</returns>
    /// <exception cref="FormatException">The document is not a well-formed entry (bad op, key or value, or seq or epoch below 1).</exception>
    public LogEntry ToEntry()
    {
        var hasValue = Value is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined };
        var op = Op switch
        {
            WriteOp.Put when hasValue => WriteOp.Put,
            WriteOp.Delete when !hasValue => WriteOp.Delete,
            _ => throw new FormatException($"entry seq {Seq}: op '{Op}' with{(hasValue ? string.Empty : "out")} a value is not an entry"),
        };
        if (Epoch < 1 || Seq < 1 || KeyRules.Validate(Key) is not null)
        {
            throw new FormatException($"entry seq {Seq} of epoch {Epoch} with key '{Key}' is not an entry");
        }

        if (hasValue && ValueRules.Validate(Value!.Value) is { } invalid)
        {
            throw new FormatException($"entry seq {Seq}: {invalid}");
        }

        return new LogEntry(Epoch, Seq, op, Key, hasValue ? Value : null);
    }
}
