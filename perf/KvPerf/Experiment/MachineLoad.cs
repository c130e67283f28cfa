using System.Globalization;

namespace KvPerf.Experiment;

/// <summary>
/// The machine's load, recorded beside each run: the client and all six nodes share the same few
/// cores, so anything else running at the same time (a build, another test) lengthens the
/// measured latency, and the results file should say so rather than leave the reader guessing.
/// </summary>
public static class MachineLoad
{
    private const string LoadAverageFile = "/proc/loadavg";

    /// <summary>
    /// The 1-minute load average (runnable tasks, averaged), or <see langword="null"/> where
    /// /proc/loadavg does not exist (not Linux) or cannot be read.
    /// </summary>
    public static double? OneMinuteAverage()
    {
        try
        {
            var first = File.ReadAllText(LoadAverageFile).Split(' ', 2)[0];
            return double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var load) ? load : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
