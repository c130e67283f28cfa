using System.Diagnostics;
using System.Globalization;

namespace KvPerf.Restart;

/// <summary>
/// One KvHost process of a restart run: when it was started (the zero of every figure taken of it),
/// its output in a log file of its own, each line prefixed with the seconds since that start, and
/// the <see cref="NodeLogMarks"/> read from that output.
/// </summary>
public sealed class RunningNode : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly long _startedAt;

    private RunningNode(NodeSpec spec, Process process, StreamWriter log, string logPath, long startedAt)
    {
        Spec = spec;
        _process = process;
        _log = log;
        LogPath = logPath;
        _startedAt = startedAt;
    }

    /// <summary>Which node this is.</summary>
    public NodeSpec Spec { get; }

    /// <summary>Its log file.</summary>
    public string LogPath { get; }

    /// <summary>What its log said, and when.</summary>
    public NodeLogMarks Marks { get; } = new();

    /// <summary>Its process id.</summary>
    public int Pid => _process.Id;

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Its exit code, once exited.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Seconds since the process was started.</summary>
    public double ElapsedSeconds => Stopwatch.GetElapsedTime(_startedAt).TotalSeconds;

    /// <summary>
    /// Starts <paramref name="binary"/> as <paramref name="spec"/> with <paramref name="environment"/>
    /// on top of this process's own, its output to <paramref name="logPath"/>.
    /// </summary>
    public static RunningNode Start(string binary, NodeSpec spec, IReadOnlyDictionary<string, string> environment, string logPath)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(environment);
        var start = new ProcessStartInfo(binary)
        {
            WorkingDirectory = Path.GetDirectoryName(binary)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // The node binds http://0.0.0.0:PORT itself; an inherited ASPNETCORE_URLS would override it.
        start.Environment.Remove("ASPNETCORE_URLS");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = new Process { StartInfo = start };

        // Taken just before the start: the figures include the runtime's own start-up, as a node's do.
        var node = new RunningNode(spec, process, log, logPath, Stopwatch.GetTimestamp());
        process.OutputDataReceived += (_, e) => node.Write(e.Data);
        process.ErrorDataReceived += (_, e) => node.Write(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    /// <summary>Kills the process, as a crash or <c>docker kill</c> would, and waits until it is gone and its output read.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.WaitForExit();
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill: nothing left to stop.
        }
    }

    /// <summary>Kills the process if it still runs and closes its log.</summary>
    public void Dispose()
    {
        Kill();
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    private void Write(string? line)
    {
        if (line is null)
        {
            return;
        }

        var at = ElapsedSeconds;
        Marks.Observe(line, at);

        // Both pipes write here from pool threads; a line arriving after Dispose closed the log is dropped.
        lock (_log)
        {
            try
            {
                _log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"+{at,7:0.000}s {line}"));
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
