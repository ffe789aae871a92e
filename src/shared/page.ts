/** A page of results in Nacos's Page shape (totalCount, pageNumber, pagesAvailable, pageItems). */
export interface Page<T> {
  totalCount: number
  pageNumber: number
  pagesAvailable: number
  pageItems: T[]
}

/** Clamps paging parameters: pages are 1-based, sizes between 1 and `max` (SCA asks for huge pages). */
export function paging(pageNo: number | undefined, pageSize: number | undefined, max = 1000): { pageNo: number; pageSize: number; offset: number } {
  const no = Number.isFinite(pageNo) && pageNo! >= 1 ? Math.floor(pageNo!) : 1
  const size = Math.min(max, Number.isFinite(pageSize) && pageSize! >= 1 ? Math.floor(pageSize!) : 10)
  return { pageNo: no, pageSize: size, offset: (no - 1) * size }
}

/** Builds a Page from a slice and the total. */
export function toPage<T>(items: T[], total: number, pageNo: number, pageSize: number): Page<T> {
  return { totalCount: total, pageNumber: pageNo, pagesAvailable: Math.ceil(total / pageSize), pageItems: items }
}
