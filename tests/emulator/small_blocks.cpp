// hubspot-emulator's global operator new/delete: a per-thread cache of freed small blocks in front of malloc.
//
// Why: a batch request allocates and frees thousands of small blocks (the parsed body's map nodes and strings, the
// written properties and history). glibc keeps only 7 freed blocks per size in its per-thread cache (tcache); the
// rest go through the arena bins, and every large allocation (a body, an answer) first consolidates the fast bins.
// Profiles of `bench/emulator_bench` showed malloc's slow paths taking about a third of the emulator's CPU.
// GLIBC_TUNABLES=glibc.malloc.tcache_count would do the same, but only from the environment at start-up.
//
// Blocks are kept by usable size (24, 40, ..., 248 bytes: what malloc returns for those requests), so a cached
// block always fits the request it serves. Sanitizer builds keep the library's operators, so ASan still sees
// every allocation.
#include <cstdint>
#include <cstdlib>
#include <new>

#include <malloc.h>

#if !defined(__SANITIZE_ADDRESS__)

namespace {
constexpr std::size_t smallest = 24;   // malloc's smallest usable size on 64-bit glibc
constexpr std::size_t step = 16;       // its chunk granularity
constexpr std::size_t class_count = 15;
constexpr std::size_t largest = smallest + step * (class_count - 1);  // 248
constexpr std::uint32_t blocks_per_class = 4096;                     // at most ~8 MB held per thread

struct free_block {
    free_block* next;
};

struct thread_cache {
    free_block* head[class_count] = {};
    std::uint32_t count[class_count] = {};

    ~thread_cache();
};

// Set when this thread's cache is destroyed: later deletes (other thread_local destructors) go to free().
thread_local bool cache_gone = false;
thread_local thread_cache cache;

thread_cache::~thread_cache()
{
    cache_gone = true;
    for (auto* h : head)
        while (h) {
            auto* next = h->next;
            std::free(h);
            h = next;
        }
}

std::size_t
class_of(std::size_t n)
{
    return n <= smallest ? 0 : (n - smallest + step - 1) / step;
}

void*
allocate(std::size_t n)
{
    if (n <= largest && !cache_gone) {
        const auto k = class_of(n);
        if (auto* b = cache.head[k]) {
            cache.head[k] = b->next;
            --cache.count[k];
            return b;
        }
        n = smallest + step * k;  // exactly the class's usable size, so the block can come back to the class
    }
    for (;;) {
        if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
        auto handler = std::get_new_handler();
        if (!handler) throw std::bad_alloc();
        handler();
    }
}

void
release(void* p, std::size_t usable)
{
    if (!p) return;
    if (usable >= smallest && usable <= largest && (usable - smallest) % step == 0 && !cache_gone) {
        const auto k = (usable - smallest) / step;
        if (cache.count[k] < blocks_per_class) {
            auto* b = static_cast<free_block*>(p);
            b->next = cache.head[k];
            cache.head[k] = b;
            ++cache.count[k];
            return;
        }
    }
    std::free(p);
}
}  // namespace

void*
operator new(std::size_t n)
{
    return allocate(n);
}

void*
operator new[](std::size_t n)
{
    return allocate(n);
}

void
operator delete(void* p) noexcept
{
    release(p, p ? ::malloc_usable_size(p) : 0);
}

void
operator delete[](void* p) noexcept
{
    release(p, p ? ::malloc_usable_size(p) : 0);
}

// Sized deletes: a block of n <= 248 bytes was allocated for its class's size, whether from the cache or malloc.
void
operator delete(void* p, std::size_t n) noexcept
{
    release(p, n <= largest ? smallest + step * class_of(n) : ::malloc_usable_size(p));
}

void
operator delete[](void* p, std::size_t n) noexcept
{
    release(p, n <= largest ? smallest + step * class_of(n) : ::malloc_usable_size(p));
}

#endif
