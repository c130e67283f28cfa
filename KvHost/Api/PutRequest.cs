using System.Text.Json;

namespace KvHost.Api;

/// <summary>The body of <c>PUT /kv/{key}</c>, for the documents: <c>{"value": &lt;any JSON but null&gt;}</c>, no other field.</summary>
/// <param name="Value">The value to store: any JSON but null, at most MAX_VALUE_BYTES of JSON and 61 levels deep.</param>
internal sealed record PutRequest(JsonElement Value);
