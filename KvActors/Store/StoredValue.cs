using System.Text.Json;

namespace KvActors.Store;

/// <summary>A key's current value and the <c>seq</c> of the write that set it.</summary>
/// <param name="Value">Any JSON value except null, detached from the request that carried it.</param>
/// <param name="Seq">The sequence number of the write that set it.</param>
public sealed record StoredValue(JsonElement Value, long Seq);
