using System.Net;

namespace KvActors.Replication.Leader;

/// <summary>
/// A follower answered a replicate request with an error status. Transient for 5xx, 408 and 429
/// (the request is retried); final for other 4xx (the follower refused the entry: retrying the
/// same bytes cannot help).
/// </summary>
public sealed class ReplicationRejectedException : Exception
{
    /// <summary>Creates the exception for a follower's error answer.</summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="detail">The problem document's detail, or the raw body.</param>
    public ReplicationRejectedException(HttpStatusCode status, string detail)
        : base($"{(int)status} {status}: {detail}")
    {
        Status = status;
    }

    /// <summary>Creates the exception with a default message.</summary>
    public ReplicationRejectedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public ReplicationRejectedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public ReplicationRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The follower's HTTP status.</summary>
    public HttpStatusCode Status { get; }

    /// <summary>True when a retry may succeed.</summary>
    public bool IsTransient =>
        (int)Status >= 500 || Status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
}
