using System.Diagnostics;

namespace KvHost.Tests.Compose.Faults;

/// <summary>
/// Runs one command on the host (<c>docker</c>, <c>nsenter</c>) and returns its standard output, or
/// throws with its exit code and standard error, so a failed injection says what the host answered.
/// </summary>
internal static class HostCommand
{
    public static async Task<string> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();

        // docker stop waits up to the container's grace period (5 s); a minute means something hangs.
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {(await stderr).Trim()}");
        }

        return (await stdout).Trim();
    }

    /// <summary>The id of a compose service's container, by compose's labels (the same for compose v1 and v2).</summary>
    public static async Task<string> ContainerOfAsync(string service)
    {
        var id = await RunAsync(
            "docker", "ps", "-aq",
            "--filter", "label=com.docker.compose.project=kvstore",
            "--filter", $"label=com.docker.compose.service={service}");
        return id.Length > 0 && !id.Contains('\n', StringComparison.Ordinal)
            ? id
            : throw new InvalidOperationException($"expected one container for service {service}, found '{id}'");
    }
}
