namespace KvHost.Api;

/// <summary>A problem a route may answer, for the documents; added by <see cref="ApiDocs.ProducesKvProblem"/>.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Type">The full <c>type</c> URI.</param>
/// <param name="When">When the route answers it.</param>
public sealed record ProblemTypeMetadata(int Status, string Type, string When);
