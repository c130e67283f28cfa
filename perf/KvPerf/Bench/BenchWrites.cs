using System.Text.Json;

namespace KvPerf.Bench;

/// <summary>
/// The sequence of writes every system gets: write n (0, 1, 2, ... across all clients of a case)
/// sets key <c>k{n mod keys}</c> to <c>{"n":n,"pad":"xx…"}</c>, a value of about 60 bytes. Safe
/// to call from every client at once.
/// </summary>
public sealed class BenchWrites
{
    /// <summary>Characters of padding in each value, so a value is small but not trivially so.</summary>
    public const int PadLength = 40;

    private static readonly string Pad = new('x', PadLength);

    private readonly int _keys;
    private long _next = -1;

    /// <summary>Creates the sequence over <paramref name="keys"/> keys.</summary>
    public BenchWrites(int keys)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(keys);
        _keys = keys;
    }

    /// <summary>How many writes <see cref="Next"/> has handed out.</summary>
    public long Count => Interlocked.Read(ref _next) + 1;

    /// <summary>The next write of the sequence.</summary>
    public BenchWrite Next() => For(Interlocked.Increment(ref _next));

    /// <summary>Write number <paramref name="n"/> of the sequence.</summary>
    public BenchWrite For(long n)
    {
        var value = JsonSerializer.SerializeToElement(new { n, pad = Pad });
        return new BenchWrite($"k{n % _keys}", value, value.GetRawText());
    }
}
