using System.Globalization;
using System.Text.RegularExpressions;

namespace KvPerf.Restart;

/// <summary>
/// Where a starting node's time goes, as its own log says: when it printed that it had read its
/// data file (and how long that read took by its own clock), and on the leader when recovery chose
/// a state and when it became ready, each in seconds since its process was started.
/// </summary>
/// <remarks>
/// Fed from the process's output pipes, on thread-pool threads: <see cref="Observe"/> and the
/// getters take one lock. Only the first line of each kind counts.
/// </remarks>
public sealed partial class NodeLogMarks
{
    private readonly Lock _gate = new();
    private double? _storageLineS;
    private long? _storageLoadedMs;
    private double? _recoveredLineS;
    private double? _readyLineS;

    /// <summary>When the node logged "Storage …: … loaded in N ms", in seconds since its start.</summary>
    public double? StorageLineS
    {
        get
        {
            lock (_gate)
            {
                return _storageLineS;
            }
        }
    }

    /// <summary>The N of that line: how long opening, checking and reading the file took, in ms.</summary>
    public long? StorageLoadedMs
    {
        get
        {
            lock (_gate)
            {
                return _storageLoadedMs;
            }
        }
    }

    /// <summary>Leader: when it logged "Recovery: recovered …" (or "no data"), in seconds since its start.</summary>
    public double? RecoveredLineS
    {
        get
        {
            lock (_gate)
            {
                return _recoveredLineS;
            }
        }
    }

    /// <summary>Leader: when it logged "Leader … ready", in seconds since its start.</summary>
    public double? ReadyLineS
    {
        get
        {
            lock (_gate)
            {
                return _readyLineS;
            }
        }
    }

    /// <summary>Takes one line of the node's output, printed <paramref name="atSeconds"/> after its start.</summary>
    public void Observe(string line, double atSeconds)
    {
        ArgumentNullException.ThrowIfNull(line);
        lock (_gate)
        {
            if (_storageLineS is null && StorageLine().Match(line) is { Success: true } storage)
            {
                _storageLineS = atSeconds;
                _storageLoadedMs = long.Parse(storage.Groups["ms"].ValueSpan, CultureInfo.InvariantCulture);
            }
            else if (_recoveredLineS is null && RecoveredLine().IsMatch(line))
            {
                _recoveredLineS = atSeconds;
            }
            else if (_readyLineS is null && ReadyLine().IsMatch(line))
            {
                _readyLineS = atSeconds;
            }
        }
    }

    // NodeStorage's LogOpened and LeaderRecovery's and NodeLifecycle's lines, as KvHost prints them.
    [GeneratedRegex(@"Storage .*; loaded in (?<ms>\d+) ms")]
    private static partial Regex StorageLine();

    [GeneratedRegex(@"Recovery: (recovered|no data)")]
    private static partial Regex RecoveredLine();

    [GeneratedRegex(@"Leader \S+ ready: ")]
    private static partial Regex ReadyLine();
}
