using System.Text.Json;

namespace KvPerf.Client;

/// <summary>
/// One key's entry in a <c>GET /kv</c> snapshot: its value and the seq of the write that set it.
/// </summary>
/// <param name="Value">Any JSON value, kept as sent so replicas can be compared exactly.</param>
/// <param name="Seq">The replication-log seq of the write that set the value; lower means older.</param>
public sealed record KvItem(JsonElement Value, long Seq);
