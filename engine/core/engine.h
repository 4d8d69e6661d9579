#pragma once

#include "core/enginecomponent.h"

#include <QObject>

#include <memory>

namespace Pitwall {

// One of Pitwall's engines (relay, VOD queue, watch scanner). EngineHost gives each its own
// QThread: start() and stop() run in that thread, queued from the host; stop() must finish
// in-flight work and leave nothing half-written. component() is read from any thread.
class Engine : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    virtual std::shared_ptr<EngineComponent> component() const = 0;

public slots:
    virtual void start() = 0;
    virtual void stop() = 0;
    // Shutdown, before the HTTP server waits for its connections to go idle: end the
    // long-lived responses the engine serves (SSE streams, exports), which would otherwise hold
    // that wait until shutdown_timeout. stop() follows.
    virtual void closeStreams() { }
    // SIGHUP or the console: re-read the engine's configuration without a restart.
    virtual void reload() = 0;
};

} // namespace Pitwall
