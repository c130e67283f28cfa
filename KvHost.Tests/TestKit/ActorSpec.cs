using Akka.TestKit;

namespace KvHost.Tests.TestKit;

/// <summary>
/// The base of actor specs: an Akka TestKit whose scheduler is a <see cref="TestScheduler"/>, so
/// Akka timers (the replication timeout) fire only when a spec advances it.
/// </summary>
public abstract class ActorSpec : Akka.TestKit.Xunit2.TestKit
{
    private const string Config = """
        akka.scheduler.implementation = "Akka.TestKit.TestScheduler, Akka.TestKit"
        akka.actor.guardian-supervisor-strategy = "KvActors.Store.ResumeOnFailure, KvActors"
        akka.loglevel = WARNING
        """;

    protected ActorSpec()
        : base(Config)
    {
    }

    /// <summary>The actor system's scheduler, advanced by hand.</summary>
    protected TestScheduler Scheduler => (TestScheduler)Sys.Scheduler;
}
