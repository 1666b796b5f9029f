using System.Net;
using System.Net.Sockets;
using RescueKit.Core;

namespace RescueKit.Net;

/// <summary>Binding the servers' sockets, with the bad-input errors a user can act on.</summary>
internal static class NetSockets
{
    public static Socket BindUdp(IPAddress address, int port, string service, string option)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        Bind(socket, address, port, service, option);
        return socket;
    }

    public static void Bind(Socket socket, IPAddress address, int port, string service, string option)
    {
        try
        {
            socket.Bind(new IPEndPoint(address, port));
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw e.SocketErrorCode switch
            {
                SocketError.AddressAlreadyInUse => new BadInputException(
                    $"{service} port {port} on {address} is already in use: stop the server holding it or choose another with {option}"),
                SocketError.AccessDenied => new BadInputException(
                    $"{service} port {port} needs root (ports below 1024 are privileged): run as root or choose a port >= 1024 with {option}"),
                SocketError.AddressNotAvailable => new BadInputException(
                    $"--bind {address} is not an address of this machine: give one of its own addresses (ip -br addr) or 0.0.0.0"),
                _ => new BadInputException($"cannot listen for {service} on {address}:{port}: {e.Message}"),
            };
        }
    }
}
