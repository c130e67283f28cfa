namespace KvHost.Api;

/// <summary>
/// The JSON body a route's handler reads itself (<c>JsonBodyReader</c>), for the documents. Not
/// <c>Accepts()</c>: routing enforces that metadata, and would answer a non-JSON body with its own bare
/// 415 instead of the handler's <c>unsupported-media-type</c> problem.
/// </summary>
/// <param name="Type">The body's shape.</param>
public sealed record JsonRequestBodyMetadata(Type Type);
