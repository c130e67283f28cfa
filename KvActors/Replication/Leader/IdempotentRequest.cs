namespace KvActors.Replication.Leader;

/// <summary>
/// A client write that carries an <c>Idempotency-Key</c> header (the IETF httpapi draft "The
/// Idempotency-Key HTTP Header Field", as Stripe's API uses it): the leader applies it once, and a
/// retry with the same key gets the first one's outcome instead of a second write.
/// </summary>
/// <param name="IdempotencyKey">The header's value: 1 to 255 printable ASCII characters, checked at the HTTP edge.</param>
/// <param name="Fingerprint">
/// What the request asked for, so that a key reused for another request is refused rather than
/// answered with an outcome that is not its own: hex SHA-256 of the method, the decoded key and the
/// value as compact JSON, made by the HTTP edge, which alone knows the method and the body.
/// </param>
public sealed record IdempotentRequest(string IdempotencyKey, string Fingerprint);
