using System.Text.Json;

namespace KvPerf.Bench;

/// <summary>
/// One write of the benchmark, the same for every system: a key and a small JSON value.
/// </summary>
/// <param name="Key">The key, <c>k0</c>..<c>k{keys-1}</c>.</param>
/// <param name="Value">The value as JSON, for kvstore's <c>{"value": ...}</c> body.</param>
/// <param name="ValueJson">The same value as its JSON text: what Redis stores, byte for byte what kvstore is sent.</param>
public sealed record BenchWrite(string Key, JsonElement Value, string ValueJson);
