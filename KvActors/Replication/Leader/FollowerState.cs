using System.Text.Json.Serialization;

namespace KvActors.Replication.Leader;

/// <summary>A follower's replication state as the leader's <c>/status</c> shows it (kebab-case on the wire).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FollowerState>))]
public enum FollowerState
{
    /// <summary>It receives the leader's entries as they are written.</summary>
    [JsonStringEnumMemberName("streaming")]
    Streaming,

    /// <summary>It is behind: in the last 5 s it needed a snapshot, or fetched an entry the push should long since have delivered.</summary>
    [JsonStringEnumMemberName("catching-up")]
    CatchingUp,

    /// <summary>Its connection failed or closed (Akka.Remote's association), and it has not answered since.</summary>
    [JsonStringEnumMemberName("unreachable")]
    Unreachable,
}
