#pragma once

#include <QString>

#include <optional>

namespace Pitwall {

// What a device token stands for: forwarders push reads, receivers subscribe to them.
enum class DeviceType { Forwarder, Receiver };

// "forwarder" / "receiver", as stored in device_tokens.device_type and sent over the API.
inline QString deviceTypeName(DeviceType type)
{
    return type == DeviceType::Forwarder ? QStringLiteral("forwarder")
                                         : QStringLiteral("receiver");
}

// The inverse of deviceTypeName(); std::nullopt for anything else (case-sensitive, as stored).
inline std::optional<DeviceType> parseDeviceType(const QString &name)
{
    if (name == QLatin1String("forwarder"))
        return DeviceType::Forwarder;
    if (name == QLatin1String("receiver"))
        return DeviceType::Receiver;
    return std::nullopt;
}

// The device an authenticated token belongs to.
struct DeviceIdentity
{
    QString tokenId;
    DeviceType deviceType = DeviceType::Forwarder;
    QString deviceId;
};

} // namespace Pitwall
