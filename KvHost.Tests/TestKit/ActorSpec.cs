using Akka.TestKit;

namespace KvHost.Tests.TestKit;

/// <summary>
/// The base of actor specs: an Akka TestKit whose scheduler is a <see cref="TestScheduler"/>, so
/// Akka timers (the replication timeout) fire only when a spec advances it.
/// </summary>
public abstract class ActorSpec : Akka.TestKit.Xunit2.TestKit
{
    private const string Overrides = """
        akka.scheduler.implementation = "Akka.TestKit.TestScheduler, Akka.TestKit"
        akka.loglevel = WARNING
        akka.actor.provider = local
        """;

    /// <summary>The nodes' own <c>akka.hocon</c> (supervision, serialization) under the spec's overrides.</summary>
    protected ActorSpec()
        : base(Akka.Configuration.ConfigurationFactory.ParseString(Overrides).WithFallback(KvHost.Hosting.KvNode.AkkaConfig))
    {
    }

    /// <summary>The actor system's scheduler, advanced by hand.</summary>
    protected TestScheduler Scheduler => (TestScheduler)Sys.Scheduler;
}
