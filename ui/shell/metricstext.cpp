#include "shell/metricstext.h"

namespace Pitwall {

std::optional<double> sumOfSamples(const QByteArray &exposition, QByteArrayView name)
{
    std::optional<double> sum;
    qsizetype start = 0;
    while (start < exposition.size()) {
        qsizetype end = exposition.indexOf('\n', start);
        if (end < 0)
            end = exposition.size();
        const QByteArrayView line(exposition.constData() + start, end - start);
        start = end + 1;
        if (!line.startsWith(name) || line.size() == name.size())
            continue;
        const char next = line.at(name.size());
        if (next != ' ' && next != '{')
            continue; // a longer name with this one as prefix, e.g. name_bucket
        // Label values may hold spaces, but never after the closing brace: the value is the
        // last field.
        const qsizetype space = line.lastIndexOf(' ');
        bool ok = false;
        const double value = line.sliced(space + 1).toDouble(&ok);
        if (ok)
            sum = sum.value_or(0.0) + value;
    }
    return sum;
}

} // namespace Pitwall
