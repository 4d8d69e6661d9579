#include "cgrouplimits.h"

#include <QJsonValue>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// One row per field, so merging, validation and JSON cannot disagree about keys or ranges.
struct Field
{
    QLatin1StringView key;
    qint64 max;
    std::optional<qint64> (*get)(const CgroupLimits &);
    void (*set)(CgroupLimits &, qint64);
};

template <auto Member>
std::optional<qint64> getField(const CgroupLimits &limits)
{
    const auto &value = limits.*Member;
    return value ? std::optional<qint64>(*value) : std::nullopt;
}

template <auto Member>
void setField(CgroupLimits &limits, qint64 value)
{
    using Stored = typename std::remove_reference_t<decltype(limits.*Member)>::value_type;
    limits.*Member = Stored(value);
}

constexpr Field fields[] = {
    {"cpu_quota"_L1, CgroupLimits::MaxCpuQuotaPercent, getField<&CgroupLimits::cpuQuotaPercent>,
     setField<&CgroupLimits::cpuQuotaPercent>},
    {"cpu_weight"_L1, CgroupLimits::MaxCpuWeight, getField<&CgroupLimits::cpuWeight>,
     setField<&CgroupLimits::cpuWeight>},
    {"memory_limit"_L1, CgroupLimits::MaxMemoryMb, getField<&CgroupLimits::memoryLimitMb>,
     setField<&CgroupLimits::memoryLimitMb>},
    {"memory_high"_L1, CgroupLimits::MaxMemoryMb, getField<&CgroupLimits::memoryHighMb>,
     setField<&CgroupLimits::memoryHighMb>},
};

} // namespace

CgroupLimits CgroupLimits::mergedOver(const CgroupLimits &defaults) const
{
    CgroupLimits merged = defaults;
    for (const Field &field : fields) {
        if (const auto value = field.get(*this))
            field.set(merged, *value);
    }
    return merged;
}

bool CgroupLimits::isEmpty() const
{
    return *this == CgroupLimits{};
}

bool CgroupLimits::validate(QString *error) const
{
    for (const Field &field : fields) {
        const auto value = field.get(*this);
        if (value && (*value < 1 || *value > field.max)) {
            if (error) {
                *error = u"%1 must be between 1 and %2 (got %3)"_s.arg(field.key)
                             .arg(field.max)
                             .arg(*value);
            }
            return false;
        }
    }
    return true;
}

QJsonObject CgroupLimits::toJson() const
{
    QJsonObject object;
    for (const Field &field : fields) {
        if (const auto value = field.get(*this))
            object.insert(field.key, *value);
    }
    return object;
}

std::optional<CgroupLimits> CgroupLimits::fromJson(const QJsonObject &object, QString *error,
                                                   JsonProblem *problem)
{
    CgroupLimits limits;
    for (auto it = object.begin(); it != object.end(); ++it) {
        const Field *match = nullptr;
        for (const Field &field : fields) {
            if (it.key() == field.key)
                match = &field;
        }
        if (!match) {
            if (error)
                *error = u"unknown limit \"%1\""_s.arg(it.key().left(40));
            if (problem)
                *problem = JsonProblem::Malformed;
            return std::nullopt;
        }
        const auto value = readJsonInteger(it.value(), 1, match->max, match->key, error, problem);
        if (!value)
            return std::nullopt;
        match->set(limits, *value);
    }
    return limits;
}

} // namespace Pitwall
