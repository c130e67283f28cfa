using Xunit.Abstractions;

namespace KvHost.Tests.Compose.Faults;

/// <summary>
/// The fault suite: one fault at a time under a steady write load, at W = 1, 3 and 5. For
/// each, every write's answer must fit W and the fault (<see cref="QuorumAnswerChecks"/>), no
/// acknowledged write may be lost and nothing unwritten appear (<see cref="SetAccounting"/>), no
/// follower's appliedSeq may step back within an epoch (<see cref="StatusPoller"/>), and after
/// healing every follower must equal the leader within <see cref="FaultScenario.ConvergenceBound"/>.
/// </summary>
/// <remarks>
/// Settings: lag 0-300 ms (as the other compose specs, so W = 3 shares their cluster) and
/// REPLICATION_TIMEOUT_MS 2000, so a 6 s fault yields 504s at W = 5. Follower faults and the kill of
/// all six run in ACK_MODE=received; the leader kill runs in both modes. Every node keeps its data
/// on disk (the compose file's DATA_DIR, FSYNC=everysec), so none of them may lose an acknowledged
/// write: a killed process loses nothing its writes handed to the operating system.
/// </remarks>
[Collection(ComposeCollection.Name)]
[Trait("Category", "Compose")]
[TestCaseOrderer(FaultScenarioOrderer.TypeName, FaultScenarioOrderer.AssemblyName)]
public sealed class A_single_fault_under_steady_write_load(ComposeClusterFixture cluster, ITestOutputHelper output)
{
    private const int MaxListed = 40;

    public static TheoryData<FaultKind, int, string> Cases
    {
        get
        {
            var cases = new TheoryData<FaultKind, int, string>();
            foreach (var fault in Enum.GetValues<FaultKind>())
            {
                foreach (var w in new[] { 1, 3, 5 })
                {
                    cases.Add(fault, w, "received");
                    if (fault == FaultKind.LeaderKilled)
                    {
                        cases.Add(fault, w, "applied");
                    }
                }
            }

            return cases;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Loses_no_acknowledged_write_answers_504_only_short_of_W_and_heals_to_equal_replicas(FaultKind fault, int w, string ackMode)
    {
        var settings = ClusterSettings.Standard with { WriteQuorum = w, AckMode = ackMode };

        var (figures, violations) = await new FaultScenario(cluster, fault, settings).RunAsync();

        output.WriteLine(figures.Summary());
        await figures.AppendIfRequestedAsync();
        if (violations.Count > 0)
        {
            // Every broken rule, not only the first: the write, follower and seq each one is about.
            Assert.Fail(
                $"{fault} at {settings}: {violations.Count} rules broken\n"
                + string.Join("\n", violations.Take(MaxListed))
                + (violations.Count > MaxListed ? $"\n... and {violations.Count - MaxListed} more" : string.Empty)
                + $"\nfigures: {figures.Summary()}");
        }
    }
}
