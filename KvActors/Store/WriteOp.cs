using System.Text.Json.Serialization;

namespace KvActors.Store;

/// <summary>What a replication-log entry does to its key. On the wire: <c>"put"</c> or <c>"delete"</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WriteOp>))]
public enum WriteOp
{
    /// <summary>Sets the key to the entry's value.</summary>
    [JsonStringEnumMemberName("put")]
    Put,

    /// <summary>Removes the key (a replicated tombstone: it still takes a <c>seq</c>).</summary>
    [JsonStringEnumMemberName("delete")]
    Delete,
}
