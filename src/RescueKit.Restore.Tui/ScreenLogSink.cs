using Serilog.Core;
using Serilog.Events;

namespace RescueKit.Restore.Tui;

/// <summary>Log events as lines on the progress page: with the UI up, a line written to stderr would land in the
/// middle of the screen.</summary>
public sealed class ScreenLogSink(TuiProgress progress) : ILogEventSink
{
    public void Emit(LogEvent logEvent) =>
        progress.Message($"{logEvent.Level.ToString().ToUpperInvariant()[..3]} {logEvent.RenderMessage()}");
}
