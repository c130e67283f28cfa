using Xunit.Abstractions;
using Xunit.Sdk;

namespace KvHost.Tests.Compose.Faults;

/// <summary>
/// Runs the fault scenarios grouped by the cluster settings they need, so the fixture recreates the
/// containers (about 20 s each) once per settings rather than once per case: xunit's default order
/// is by a hash of each case's id, which would interleave W = 1, 3 and 5.
/// </summary>
public sealed class FaultScenarioOrderer : ITestCaseOrderer
{
    public const string TypeName = "KvHost.Tests.Compose.Faults.FaultScenarioOrderer";
    public const string AssemblyName = "KvHost.Tests";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases)
        where TTestCase : ITestCase =>
        testCases
            .OrderBy(c => Settings(c))
            .ThenBy(c => c.TestMethodArguments?.FirstOrDefault() is FaultKind fault ? (int)fault : int.MaxValue)
            .ThenBy(c => c.UniqueID, StringComparer.Ordinal);

    // Cases are (fault, W, ack mode): received-mode faults by W (the leader kill last in each), then
    // the applied-mode leader kills by W.
    private static int Settings(ITestCase testCase) => testCase.TestMethodArguments switch
    {
        [FaultKind, int w, string ackMode] => (ackMode == "applied" ? 10 : 0) + w,
        _ => int.MaxValue,
    };
}
