#pragma once

#include <QtGlobal>

namespace Pitwall::ProtocolLimits {

// The reference server has no caps of its own, only its WebSocket library's 16 MiB frame limit;
// these keep one hostile frame from costing unbounded memory while admitting every real client.

// Largest text frame parsed at all: the reference's WebSocket frame limit.
inline constexpr qsizetype MaxMessageBytes = 16 * 1024 * 1024;
// Items of any one array (events, ack entries, reader_ips, streams, resume, targets, warnings).
// The reference test suite sends 10 000 events in one forwarder batch; the reference forwarder
// sends 50 per batch by default and the server replays 500.
inline constexpr qsizetype MaxArrayItems = 10000;
// Bytes of one raw_frame. An IPICO line is 36..44 characters plus CRLF (research §7); 1 KiB
// leaves room for other reader formats without letting 10 000 events reach the frame cap.
inline constexpr qsizetype MaxRawFrameBytes = 1024;

} // namespace Pitwall::ProtocolLimits
