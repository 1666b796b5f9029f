using RescueKit.Tests.Shared;

namespace RescueKit.Boot.Tests.Harness;

/// <summary>
/// A network namespace a test creates (`ip netns add`) with its loopback up and nothing else until the test adds it:
/// what runs inside reaches only what the test put there. Dispose deletes it, and with it every device inside.
/// </summary>
public sealed class NetworkNamespace : IDisposable
{
    private bool _created;

    private NetworkNamespace(string name) => Name = name;

    public string Name { get; }

    /// <summary>Creates <paramref name="name"/> (removing one a killed run left), or fails the test saying why.</summary>
    public static NetworkNamespace Create(string name)
    {
        if (Environment.UserName != "root") Assert.Fail($"network namespace {name}: this test needs root (ip netns add)");
        ExternalTool.Run("ip", "iproute2", ["netns", "del", name], timeoutSeconds: 30);
        var ns = new NetworkNamespace(name);
        IpOk("netns", "add", name);
        ns._created = true;
        ns.Ip("link", "set", "lo", "up");
        return ns;
    }

    /// <summary>`ip -n NAME ARGS`, failing the test with ip's error.</summary>
    public void Ip(params string[] args) => IpOk(["-n", Name, .. args]);

    public void Dispose()
    {
        if (!_created) return;
        ExternalTool.Run("ip", "iproute2", ["netns", "del", Name], timeoutSeconds: 30);
        _created = false;
    }

    private static void IpOk(params string[] args) => ExternalTool.RunOk("ip", "iproute2", args, timeoutSeconds: 30);
}
