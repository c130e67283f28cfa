using System.Text.Json;

namespace KvActors.Store;

/// <summary>A client's write before it has a <c>seq</c>: what <c>PUT</c> and <c>DELETE /kv/{key}</c> ask for.</summary>
/// <param name="Op">Put or delete.</param>
/// <param name="Key">A key that passed <see cref="KeyRules.Validate"/>.</param>
/// <param name="Value">For a put, the value (already detached with <see cref="JsonElement.Clone"/>); null for a delete.</param>
public sealed record WriteCommand(WriteOp Op, string Key, JsonElement? Value);
