using System.Net.Http.Json;
using System.Text.Json;
using Akka.Actor;
using KvActors.Store;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace KvActors.Replication.Leader;

/// <summary>
/// A follower on another node as the leader reaches it: a base URL plus the leader's one shared, pooled
/// <see cref="HttpClient"/>. <see cref="DeliverAsync"/> sends an entry as
/// <c>POST {url}/replication/entries</c>; the actor of <see cref="Props"/> does so for each
/// <see cref="ReplicationMessages.Replicate"/> and pipes the answer back to its sender.
/// </summary>
/// <remarks>
/// Each delivery runs on its own task, so a slow or paused follower delays only its own entries.
/// Transient failures (connection refused, 5xx, a hung request) are retried with exponential
/// backoff and jitter for up to <c>retryWindow</c>; the follower acknowledges a repeated entry
/// without applying it twice, which is what makes retrying safe.
/// </remarks>
public sealed partial class RemoteFollower : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _entriesUrl;
    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();

    // Written by concurrent deliveries, read by /status: the outcome of the latest attempt to finish.
    private string? _lastAttemptError;

    /// <summary>Creates the reference.</summary>
    /// <param name="name">The follower's node name (from its URL's host in <c>FOLLOWERS</c>).</param>
    /// <param name="baseUrl">The follower's base URL, e.g. <c>http://follower1:8080</c>.</param>
    /// <param name="http">The shared client; its own timeout should be infinite (each attempt has one here).</param>
    /// <param name="time">The clock for backoff and timeouts.</param>
    /// <param name="attemptTimeout">How long one request may take before it is abandoned and retried.</param>
    /// <param name="retryWindow">How long to keep retrying one entry before reporting it failed.</param>
    /// <param name="logger">For delivery failures.</param>
    public RemoteFollower(string name, Uri baseUrl, HttpClient http, TimeProvider time, TimeSpan attemptTimeout, TimeSpan retryWindow, ILogger logger)
    {
        Name = name;
        BaseUrl = baseUrl;
        _http = http;
        _entriesUrl = new Uri(baseUrl, "/replication/entries");
        _logger = logger;
        var transient = new PredicateBuilder()
            .Handle<HttpRequestException>()
            .Handle<TimeoutRejectedException>()

            // SocketsHttpHandler reports its ConnectTimeout (a follower cut off by a firewall drops
            // our SYNs) as a cancellation; only our own shutdown is a real one.
            .Handle<OperationCanceledException>(_ => !_stopping.IsCancellationRequested)
            .Handle<ReplicationRejectedException>(ex => ex.IsTransient);
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddTimeout(retryWindow)
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = transient.Handle<BrokenCircuitException>(),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(100),
                MaxDelay = TimeSpan.FromSeconds(2),
                MaxRetryAttempts = int.MaxValue,
                OnRetry = args =>
                {
                    Volatile.Write(ref _lastAttemptError, args.Outcome.Exception?.Message ?? "attempt failed");
                    return ValueTask.CompletedTask;
                },
            })

            // One breaker per follower, shared by all its deliveries: every write in flight retries
            // on its own, so a stopped follower would otherwise take a connection attempt (and a
            // name lookup) per entry per backoff step, hundreds a second, enough to starve the
            // leader's thread pool on 2 cores (measured: /health stalled 1-2 s after a `docker stop`).
            // Open, it fails those attempts at once; every BreakDuration one probe goes through.
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = transient,
                FailureRatio = 0.5,
                MinimumThroughput = 4,
                SamplingDuration = TimeSpan.FromSeconds(2),
                BreakDuration = TimeSpan.FromMilliseconds(500),
            })
            .AddTimeout(attemptTimeout)
            .Build();
    }

    /// <summary>The follower's node name.</summary>
    public string Name { get; }

    /// <summary>The follower's base URL.</summary>
    public Uri BaseUrl { get; }

    /// <summary>
    /// The error of the latest delivery attempt to finish, or null when it succeeded: non-null means
    /// the follower is unreachable right now (its deliveries are being retried). Any thread may read it.
    /// </summary>
    public string? LastAttemptError => Volatile.Read(ref _lastAttemptError);

    /// <summary>
    /// The props of an actor that delivers each <see cref="ReplicationMessages.Replicate"/> it is told
    /// and pipes the follower's answer to the sender; each delivery runs concurrently with the others.
    /// </summary>
    /// <returns>The props.</returns>
    public Props Props() => Akka.Actor.Props.Create(() => new Delivery(this));

    /// <summary>Abandons deliveries still in progress; their senders get no reply.</summary>
    /// <returns>A completed task.</returns>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _stopping.Dispose();
    }

    /// <summary>Delivers one entry, retrying transient failures within the retry window.</summary>
    /// <param name="entry">The entry.</param>
    /// <returns>
    /// The follower's acknowledgement, or the failure once retries ran out or it refused the entry;
    /// null when this follower reference is being disposed (nobody waits for the answer any more).
    /// </returns>
    public async Task<ReplicationMessages.IReply?> DeliverAsync(LogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var seq = entry.Seq;
        var request = ReplicateRequest.From(entry);
        try
        {
            var response = await _pipeline.ExecuteAsync(
                static async (state, ct) => await state.self.PostOnceAsync(state.request, ct),
                (self: this, request),
                _stopping.Token);
            Volatile.Write(ref _lastAttemptError, null);
            return new ReplicationMessages.Replicated(Name, response.Ack, response.AppliedSeq);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return null;
        }
#pragma warning disable CA1031 // Every failure must become a reply, or the tracker would wait forever.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogDeliveryFailed(_logger, Name, seq, ex.Message);
            return new ReplicationMessages.ReplicationFailed(Name, seq, ex.Message);
        }
    }

    private async ValueTask<ReplicateResponse> PostOnceAsync(ReplicateRequest request, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync(_entriesUrl, request, ReplicationHttp.Json, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new ReplicationRejectedException(response.StatusCode, ProblemDetail(body));
        }

        return await response.Content.ReadFromJsonAsync<ReplicateResponse>(ReplicationHttp.Json, cancellationToken)
            ?? throw new ReplicationRejectedException("the follower answered 200 with an empty body");
    }

    private static string ProblemDetail(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("detail", out var detail) ? detail.ToString() : body;
        }
        catch (JsonException)
        {
            return body.Length <= 200 ? body : body[..200];
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replication of seq {Seq} to {Follower} failed for good: {Error}")]
    private static partial void LogDeliveryFailed(ILogger logger, string follower, long seq, string error);

    private sealed class Delivery : ReceiveActor
    {
        public Delivery(RemoteFollower follower) =>
            Receive<ReplicationMessages.Replicate>(message =>
            {
                var sender = Sender;
                _ = follower.DeliverAsync(message.Entry).ContinueWith(
                    static (task, state) =>
                    {
                        if (task.Result is { } reply)
                        {
                            ((IActorRef)state!).Tell(reply);
                        }
                    },
                    sender,
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            });
    }
}
