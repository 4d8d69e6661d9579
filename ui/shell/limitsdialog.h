#pragma once

#include "cgrouplimits.h"

#include <QDialog>

class QFormLayout;
class QLabel;
class QSpinBox;

namespace Pitwall {

// Asks for the limits to apply to one governed process, starting from the ones it has. A field
// at 0 is "not set"; at least one must be set, in the ranges CgroupLimits::validate accepts.
class LimitsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LimitsDialog)

public:
    LimitsDialog(const QString &process, const CgroupLimits &current, QWidget *parent = nullptr);

    CgroupLimits limits() const;
    void accept() override;

private:
    QSpinBox *addField(const QString &label, int maximum, std::optional<qint64> value);

    QFormLayout *m_form = nullptr;
    QSpinBox *m_cpuQuota = nullptr;
    QSpinBox *m_cpuWeight = nullptr;
    QSpinBox *m_memoryLimit = nullptr;
    QSpinBox *m_memoryHigh = nullptr;
    QLabel *m_error = nullptr;
};

} // namespace Pitwall
