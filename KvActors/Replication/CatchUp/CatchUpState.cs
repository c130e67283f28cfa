using System.Text.Json.Serialization;

namespace KvActors.Replication.CatchUp;

/// <summary>A follower's catch-up as its <c>/status</c> shows it (kebab-case on the wire).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CatchUpState>))]
public enum CatchUpState
{
    /// <summary>Not yet in touch with the leader since this follower started.</summary>
    [JsonStringEnumMemberName("starting")]
    Starting,

    /// <summary>The last fetch from the leader succeeded.</summary>
    [JsonStringEnumMemberName("synced")]
    Synced,

    /// <summary>The last fetch from the leader failed; it is retried with backoff.</summary>
    [JsonStringEnumMemberName("leader-unreachable")]
    LeaderUnreachable,
}
