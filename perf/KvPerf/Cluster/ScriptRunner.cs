using System.Diagnostics;

namespace KvPerf.Cluster;

/// <summary>
/// Runs a helper command (<c>scripts/cluster.sh</c>, <c>dotnet build</c>) with extra environment
/// variables, its output appended to a log file rather than the console so that it cannot tear
/// the progress bar; on failure the log's tail goes into the exception.
/// </summary>
public sealed class ScriptRunner
{
    private readonly string _logPath;

    /// <summary>Creates a runner that logs to <paramref name="logPath"/>.</summary>
    public ScriptRunner(string logPath)
    {
        _logPath = logPath;
    }

    /// <summary>The log file every command's output goes to.</summary>
    public string LogPath => _logPath;

    /// <summary>
    /// Runs <paramref name="fileName"/> with <paramref name="arguments"/> in
    /// <paramref name="workingDirectory"/>, the current environment plus <paramref name="environment"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">It exited non-zero.</exception>
    public async Task RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string>? environment,
        CancellationToken ct) =>
        await ExecuteAsync(fileName, arguments, workingDirectory, environment, captureOutput: false, ct);

    /// <summary>
    /// Runs a command as <see cref="RunAsync"/> does and returns its standard output's lines, which
    /// stay out of the log (a list of container ids, a path); its standard error goes to the log.
    /// </summary>
    /// <exception cref="InvalidOperationException">It exited non-zero.</exception>
    public Task<IReadOnlyList<string>> ReadOutputAsync(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        CancellationToken ct) =>
        ExecuteAsync(fileName, arguments, workingDirectory, null, captureOutput: true, ct);

    /// <summary>
    /// The checkout a run measured, for its results file: the commit (<c>git rev-parse HEAD</c>) and
    /// whether tracked files differ from it; both null outside a git checkout or without git.
    /// </summary>
    /// <param name="repositoryRoot">The repository's root.</param>
    /// <param name="ct">Cancels the git commands.</param>
    /// <returns>The commit and whether the tree is dirty.</returns>
    public async Task<(string? Commit, bool? Dirty)> GitStateAsync(string repositoryRoot, CancellationToken ct)
    {
        try
        {
            var commit = (await ReadOutputAsync("git", ["rev-parse", "HEAD"], repositoryRoot, ct)).FirstOrDefault();
            var changes = await ReadOutputAsync("git", ["status", "--porcelain", "--untracked-files=no"], repositoryRoot, ct);
            return (commit, changes.Count > 0);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return (null, null); // not a git checkout, or no git
        }
    }

    private async Task<IReadOnlyList<string>> ExecuteAsync(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string>? environment,
        bool captureOutput,
        CancellationToken ct)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var command = string.Join(' ', new[] { fileName }.Concat(start.ArgumentList));
        var settings = environment is null ? "" : string.Join(' ', environment.Select(kv => $"{kv.Key}={kv.Value}")) + " ";
        await File.AppendAllTextAsync(_logPath, $"\n$ {settings}{command}\n", ct);

        using var process = new Process { StartInfo = start };
        var log = new List<string>();
        var output = new List<string>();
        var gate = new object();
        var outputTarget = captureOutput ? output : log;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (gate) { outputTarget.Add(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (gate) { log.Add(e.Data); } } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        finally
        {
            string[] lines;
            lock (gate)
            {
                lines = log.ToArray();
            }

            await File.AppendAllLinesAsync(_logPath, lines, CancellationToken.None);
        }

        if (process.ExitCode != 0)
        {
            var tail = string.Join('\n', File.ReadLines(_logPath).TakeLast(15));
            throw new InvalidOperationException($"`{command}` exited {process.ExitCode}; log {_logPath}, last lines:\n{tail}");
        }

        lock (gate)
        {
            return output.ToArray();
        }
    }
}
