using System.Net;
using System.Net.Sockets;
using RescueKit.Host.Native;

namespace RescueKit.Net.Tests;

/// <summary>A run of datagrams sent each way <see cref="DatagramBatchSender"/> knows arrives as the same datagrams, on
/// 127.0.0.1.</summary>
[TestFixture]
public sealed class DatagramBatchSenderTests
{
    private const int SOL_SOCKET = 1, SO_NO_CHECK = 11;

    [TestCase(DatagramBatching.Segmented)]
    [TestCase(DatagramBatching.Batched)]
    [TestCase(DatagramBatching.Single)]
    public void EveryDatagramArrivesWithItsOwnBoundaries(DatagramBatching batching)
    {
        // 100 datagrams: more than one GSO send takes (64), the last one short.
        using var pair = new Pair();
        var sender = new DatagramBatchSender(pair.Sender, batching);
        var run = Run(stride: 1000, count: 100, lastLength: 123);
        sender.Send(run, 1000, 100);
        pair.AssertReceived(run, 1000, 100);
        Assert.That(sender.Batching, Is.EqualTo(batching), "the way asked for works on the loopback");
    }

    [Test]
    public void ASocketThatRefusesGsoFallsBackToSendmmsg()
    {
        using var pair = new Pair();
        // SO_NO_CHECK: a socket that sends without UDP checksums is refused GSO (EINVAL).
        pair.Sender.SetRawSocketOption(SOL_SOCKET, SO_NO_CHECK, BitConverter.GetBytes(1));
        var sender = new DatagramBatchSender(pair.Sender);
        var run = Run(stride: 1468, count: 16, lastLength: 1468);
        sender.Send(run, 1468, 16);
        pair.AssertReceived(run, 1468, 16);
        Assert.That(sender.Batching, Is.EqualTo(DatagramBatching.Batched));
    }

    [Test]
    public void ARunThatIsNotDatagramsOfTheStrideIsRefused()
    {
        using var pair = new Pair();
        var sender = new DatagramBatchSender(pair.Sender);
        Assert.That(() => sender.Send(new byte[2001], 1000, 2), Throws.ArgumentException.With.Message.Contains("2001 bytes"));
    }

    private static byte[] Run(int stride, int count, int lastLength)
    {
        var run = new byte[(count - 1) * stride + lastLength];
        new Random(count).NextBytes(run);
        return run;
    }

    private sealed class Pair : IDisposable
    {
        public Socket Sender { get; } = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        private readonly Socket _receiver = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

        public Pair()
        {
            _receiver.ReceiveBufferSize = 1 << 20;
            _receiver.ReceiveTimeout = 2000;
            _receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            Sender.Connect(_receiver.LocalEndPoint!);
        }

        public void AssertReceived(byte[] run, int stride, int count)
        {
            var buffer = new byte[65536];
            for (var i = 0; i < count; i++)
            {
                var n = _receiver.Receive(buffer);
                var expected = run.AsSpan(i * stride, Math.Min(stride, run.Length - i * stride));
                Assert.That(buffer.AsSpan(0, n).SequenceEqual(expected), $"datagram {i}: {n} bytes, {expected.Length} expected");
            }
            _receiver.ReceiveTimeout = 100;
            Assert.That(() => _receiver.Receive(buffer), Throws.InstanceOf<SocketException>(), "no datagram more");
        }

        public void Dispose()
        {
            Sender.Dispose();
            _receiver.Dispose();
        }
    }
}
