#pragma once

#include <QJsonObject>
#include <QString>

namespace Pitwall {

// What /readyz and /status need from a part of the engine (the database, each engine).
// Implementations answer from any thread, from state they already hold: no blocking I/O.
class EngineComponent
{
public:
    struct Readiness
    {
        bool ready = false;
        QString reason; // why not, for operators: "connection refused by 127.0.0.1:5432"
    };

    virtual ~EngineComponent() = default;
    virtual QString name() const = 0;
    virtual Readiness readiness() const = 0;
    virtual QJsonObject status() const = 0;
};

} // namespace Pitwall
