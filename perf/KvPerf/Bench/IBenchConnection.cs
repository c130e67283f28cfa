namespace KvPerf.Bench;

/// <summary>
/// One benchmark client's own connection to a system under test: it sends one write, waits for its
/// answer, and only then may be asked for the next (a closed loop). Two kinds: kvstore over HTTP
/// (<see cref="KvStoreConnection"/>) and Redis (<see cref="Redis.RedisConnection"/>).
/// </summary>
public interface IBenchConnection : IAsyncDisposable
{
    /// <summary>
    /// Sends <paramref name="write"/> and waits until the system says it holds it as the case
    /// asks (W replicas). Returns <see langword="null"/> on success, else why it failed
    /// (<c>HTTP 504</c>, <c>timeout</c>, ...): a failure is a result, not an exception.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled.</exception>
    Task<string?> WriteAsync(BenchWrite write, CancellationToken ct);
}
