using System.Collections.Concurrent;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace RescueKit.Net.Tests;

/// <summary>A Serilog sink that keeps the rendered lines, so a test can check what a server logged.</summary>
internal sealed class LogCapture : ILogEventSink
{
    private readonly ConcurrentQueue<string> _lines = new();

    public ILogger Logger => new LoggerConfiguration().MinimumLevel.Debug().WriteTo.Sink(this).CreateLogger();

    public IReadOnlyList<string> Lines => [.. _lines];

    public void Emit(LogEvent logEvent) => _lines.Enqueue(logEvent.RenderMessage());
}
