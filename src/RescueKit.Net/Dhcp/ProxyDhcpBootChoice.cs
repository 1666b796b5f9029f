namespace RescueKit.Net.Dhcp;

/// <summary>What one PXE client is told to boot: a file name for TFTP from our address, or an http:// URL; or why it
/// gets no answer (<see cref="File"/> null, <see cref="Reason"/> set).</summary>
public sealed record ProxyDhcpBootChoice(string? File, string Reason)
{
    public static ProxyDhcpBootChoice Boot(string file, string reason) => new(file, reason);

    public static ProxyDhcpBootChoice None(string reason) => new(null, reason);
}
