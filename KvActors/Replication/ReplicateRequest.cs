using System.Text.Json;
using System.Text.Json.Serialization;
using KvActors.Store;

namespace KvActors.Replication;

/// <summary>
/// The JSON body of <c>POST /replication/entries</c>:
/// <c>{"epoch": 7, "seq": 42, "op": "put", "key": "k1", "value": {...}}</c> (no <c>value</c> for a delete).
/// </summary>
/// <param name="Epoch">The sending leader's epoch.</param>
/// <param name="Seq">The entry's sequence number.</param>
/// <param name="Op"><c>"put"</c> or <c>"delete"</c>.</param>
/// <param name="Key">The key.</param>
/// <param name="Value">The value of a put.</param>
public sealed record ReplicateRequest(
    long Epoch,
    long Seq,
    string Op,
    string Key,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Value)
{
    /// <summary>The wire names of <see cref="WriteOp"/>.</summary>
    public const string PutOp = "put";

    /// <inheritdoc cref="PutOp"/>
    public const string DeleteOp = "delete";

    /// <summary>The request that carries <paramref name="entry"/>.</summary>
    /// <param name="entry">A log entry.</param>
    /// <returns>Its wire form.</returns>
    public static ReplicateRequest From(LogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new(entry.Epoch, entry.Seq, entry.Op == WriteOp.Put ? PutOp : DeleteOp, entry.Key, entry.Value);
    }

    /// <summary>The log entry this request carries, for entries the follower fetched from the leader.</summary>
    /// <returns>The entry.</returns>
    /// <exception cref="FormatException">The request is not a well-formed entry (bad op, key or value, or seq or epoch below 1).</exception>
    public LogEntry ToEntry()
    {
        var hasValue = Value is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined };
        var op = Op switch
        {
            PutOp when hasValue => WriteOp.Put,
            DeleteOp when !hasValue => WriteOp.Delete,
            _ => throw new FormatException($"entry seq {Seq}: op '{Op}' with{(hasValue ? string.Empty : "out")} a value is not an entry"),
        };
        if (Epoch < 1 || Seq < 1 || KeyRules.Validate(Key) is not null)
        {
            throw new FormatException($"entry seq {Seq} of epoch {Epoch} with key '{Key}' is not an entry");
        }

        return new LogEntry(Epoch, Seq, op, Key, hasValue ? Value : null);
    }
}

/// <summary>A follower's 200 answer to <c>POST /replication/entries</c>: <c>{"ack": 42, "appliedSeq": 41}</c>.</summary>
/// <param name="Ack">The acknowledged <c>seq</c>.</param>
/// <param name="AppliedSeq">The follower's applied <c>seq</c>; below <paramref name="Ack"/> when acknowledged on receipt with an earlier entry still missing.</param>
public sealed record ReplicateResponse(long Ack, long AppliedSeq);
