using Microsoft.OpenApi;

namespace KvHost.Api;

/// <summary>
/// A query parameter or header a handler reads itself (not bound from its signature), for the
/// documents; added by <see cref="RouteDocs"/> and written into the operation by <see cref="ApiDocs"/>.
/// </summary>
/// <param name="In">Where it travels: <see cref="ParameterLocation.Query"/> or <see cref="ParameterLocation.Header"/>.</param>
/// <param name="Name">Its name as sent (<c>minSeq</c>, <c>Idempotency-Key</c>).</param>
/// <param name="Type">Its JSON schema type: <see cref="JsonSchemaType.Integer"/> or <see cref="JsonSchemaType.String"/>.</param>
/// <param name="Description">What it does and its range, for the reader of the document.</param>
public sealed record DocumentedParameter(ParameterLocation In, string Name, JsonSchemaType Type, string Description);
